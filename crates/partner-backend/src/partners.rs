//! `partner-backend partners …`: adding, listing, rotating and removing partners.
//!
//! A new secret key goes to stdout alone (so `KEY=$(partner-backend partners add acme)` works)
//! and is never shown again; the explanation goes to stderr. Every failure is an error
//! message and a non-zero exit (in `main.rs`).

use std::path::Path;

use crate::auth::{new_key_generation, new_secret_key};
use crate::cli::PartnersCommand;
use crate::db::Db;
use crate::StartupError;

pub async fn run(command: PartnersCommand, db_path: &Path) -> Result<(), StartupError> {
    let db = Db::open(db_path)?;
    let failed = |e: crate::db::DbError| StartupError(format!("database error: {e}"));
    match command {
        PartnersCommand::Add { id, name } => {
            let name = name.unwrap_or_else(|| id.clone());
            let (key, hash) = new_secret_key();
            if !db
                .add_partner(id.clone(), name, hash, new_key_generation())
                .await
                .map_err(failed)?
            {
                return Err(StartupError(format!(
                    "a partner {id:?} already exists (rotate its key with `partners rotate {id}`)"
                )));
            }
            print_key(&format!("Added partner {id}."), &key);
        }
        PartnersCommand::List => {
            let partners = db.list_partners().await.map_err(failed)?;
            if partners.is_empty() {
                eprintln!("No partners yet: add one with `partners add <id>`.");
            }
            for p in partners {
                println!(
                    "{}\t{}\tadded {}\tkey from {}",
                    p.id, p.name, p.created_at, p.key_created_at
                );
            }
        }
        PartnersCommand::Rotate { id } => {
            let (key, hash) = new_secret_key();
            if !db
                .rotate_partner_key(id.clone(), hash, new_key_generation())
                .await
                .map_err(failed)?
            {
                return Err(unknown(&id));
            }
            print_key(
                &format!(
                    "Rotated the key of partner {id}: the old key and its sessions no longer work."
                ),
                &key,
            );
        }
        PartnersCommand::Remove { id } => {
            if !db.remove_partner(id.clone()).await.map_err(failed)? {
                return Err(unknown(&id));
            }
            eprintln!("Removed partner {id}: its key and sessions no longer work.");
        }
    }
    Ok(())
}

fn print_key(what: &str, key: &str) {
    eprintln!(
        "{what}\nIts secret key follows. It is shown this once and only a hash is kept: store it \
         on the partner's server, never in a browser."
    );
    println!("{key}");
}

fn unknown(id: &str) -> StartupError {
    StartupError(format!("there is no partner {id:?} (see `partners list`)"))
}
