//! Embeds the wizard's interface texts (`locales/<lang>.json` at the workspace root, the same
//! files the app's own build reads) so that the server can write the static shell of
//! `index.html` in the visitor's language. Adding a language stays a data-only change.

use std::{env, fs, path::Path};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").unwrap();
    let dir = Path::new(&manifest).join("../../locales");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut langs: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let lang = name.strip_suffix(".json")?;
            (!lang.contains('.')).then(|| lang.to_string())
        })
        .collect();
    // English first: it is the fallback.
    langs.sort_by_key(|l| (l != "en", l.clone()));
    let mut out = String::from("pub const LOCALES: &[(&str, &str)] = &[\n");
    for lang in &langs {
        let file = dir.join(format!("{lang}.json")).canonicalize().unwrap();
        println!("cargo:rerun-if-changed={}", file.display());
        out.push_str(&format!(
            "    ({lang:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("locales.rs");
    fs::write(dest, out).unwrap();
}
