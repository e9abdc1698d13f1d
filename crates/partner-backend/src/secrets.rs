//! The key that encrypts the PBX password at rest, kept in a file of its own outside the
//! database (`--secrets-key-file`), so that a copy of the database file alone — a backup, a
//! support bundle — reveals no password.
//!
//! XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`): its 24-byte nonces can be drawn at
//! random for every encryption without a counter to keep. The onboarding's id is the associated
//! data, so a sealed password moved to another row no longer opens.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::StartupError;

/// The key file's size: the raw 256-bit key, nothing else.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

/// The file name of the default `--secrets-key-file`, in the database file's directory.
pub const DEFAULT_KEY_FILE_NAME: &str = "secrets.key";

/// `secrets.key` beside the database file: found again with the same `--db`, and kept out of
/// a glob such as `onboarding.db*` that removes or copies the database with its WAL.
pub fn default_key_file(db_path: &Path) -> PathBuf {
    match db_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(DEFAULT_KEY_FILE_NAME),
        _ => PathBuf::from(DEFAULT_KEY_FILE_NAME),
    }
}

/// A sealed value that does not open: another key, another row's associated data, or altered
/// bytes. AEAD cannot tell these apart, and says nothing more on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Undecryptable;

impl std::fmt::Display for Undecryptable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("does not decrypt with this secrets key (another key, or altered data)")
    }
}

impl std::error::Error for Undecryptable {}

#[derive(Clone)]
pub struct SecretsKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretsKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretsKey(..)")
    }
}

impl SecretsKey {
    /// Reads the key file, or creates it with a fresh random key (mode 0600) when it does not
    /// exist. Two processes starting at once end up with the same key: the file appears whole
    /// or not at all (written aside, then hard-linked into place, which fails if it exists).
    pub fn load_or_create(path: &Path) -> Result<SecretsKey, StartupError> {
        if !path.exists() {
            create(path)?;
        }
        SecretsKey::load(path)
    }

    /// Reads an existing key file. Refused: a missing file, a size other than 32 bytes (a
    /// truncated or wrong file would otherwise make every password unreadable later), and on
    /// Unix any permission for group or others — a key others can read protects nothing, and
    /// one others can write could be swapped for theirs.
    pub fn load(path: &Path) -> Result<SecretsKey, StartupError> {
        let fail =
            |why: String| StartupError(format!("secrets key file {}: {why}", path.display()));
        let metadata = fs::metadata(path).map_err(|e| fail(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(fail(format!(
                    "mode {mode:04o} lets group or others use the key; \
                     make it readable by its owner only (chmod 600)"
                )));
            }
        }
        if metadata.len() != KEY_LEN as u64 {
            return Err(fail(format!(
                "holds {} bytes; a key is exactly {KEY_LEN} bytes",
                metadata.len()
            )));
        }
        let bytes = fs::read(path).map_err(|e| fail(e.to_string()))?;
        SecretsKey::from_bytes(&bytes).ok_or_else(|| {
            fail(format!(
                "holds {} bytes; a key is exactly {KEY_LEN} bytes",
                bytes.len()
            ))
        })
    }

    /// A key from its 32 raw bytes (tests).
    pub fn from_bytes(bytes: &[u8]) -> Option<SecretsKey> {
        (bytes.len() == KEY_LEN).then(|| SecretsKey {
            cipher: XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(bytes)),
        })
    }

    /// `nonce || ciphertext+tag`, with a fresh random nonce, bound to `associated_data`.
    pub fn seal(&self, associated_data: &[u8], plaintext: &[u8]) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: associated_data,
                },
            )
            // Only a message beyond the cipher's 256 GiB limit fails to encrypt.
            .expect("XChaCha20-Poly1305 encrypts any message of a request's size");
        let mut sealed = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    /// The plaintext of [`SecretsKey::seal`]'s output, if it was sealed with this key and
    /// `associated_data` and not altered since.
    pub fn open(&self, associated_data: &[u8], sealed: &[u8]) -> Result<Vec<u8>, Undecryptable> {
        if sealed.len() < NONCE_LEN {
            return Err(Undecryptable);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: associated_data,
                },
            )
            .map_err(|_| Undecryptable)
    }
}

fn create(path: &Path) -> Result<(), StartupError> {
    let fail = |e: &dyn std::fmt::Display| {
        StartupError(format!(
            "cannot create secrets key file {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|e| fail(&e))?;
    }
    let key = XChaCha20Poly1305::generate_key(&mut OsRng);
    let aside = path.with_extension(format!("tmp-{}", uuid::Uuid::new_v4()));
    let written = write_private(&aside, &key);
    let linked = written.and_then(|()| fs::hard_link(&aside, path));
    let _ = fs::remove_file(&aside);
    match linked {
        Ok(()) => Ok(()),
        // Another process created it meanwhile: its key is the one to use.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(fail(&e)),
    }
}

/// Writes a new file readable and writable by its owner only, synced to disk.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Sets a file's mode to 0600 (the database and its WAL, which hold customer data).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_associated_data() {
        let key = SecretsKey::from_bytes(&[7; KEY_LEN]).unwrap();
        let other = SecretsKey::from_bytes(&[8; KEY_LEN]).unwrap();
        let sealed = key.seal(b"row-1", b"hunter2");
        assert_eq!(key.open(b"row-1", &sealed).unwrap(), b"hunter2");
        assert_eq!(key.open(b"row-2", &sealed), Err(Undecryptable));
        assert_eq!(other.open(b"row-1", &sealed), Err(Undecryptable));
        let mut altered = sealed.clone();
        *altered.last_mut().unwrap() ^= 1;
        assert_eq!(key.open(b"row-1", &altered), Err(Undecryptable));
        assert_eq!(key.open(b"row-1", &sealed[..10]), Err(Undecryptable));
        // Random nonces: the same password twice seals differently.
        assert_ne!(key.seal(b"row-1", b"hunter2"), sealed);
    }

    #[test]
    fn the_default_key_file_sits_beside_the_database() {
        assert_eq!(
            default_key_file(Path::new("data/onboarding.db")),
            PathBuf::from("data/secrets.key")
        );
        assert_eq!(
            default_key_file(Path::new("onboarding.db")),
            PathBuf::from("secrets.key")
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_private_and_refused_when_wrong() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/secrets.key");
        let key = SecretsKey::load_or_create(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(fs::read(&path).unwrap().len(), KEY_LEN);
        // Loaded again, it is the same key; no temporary file is left behind.
        let again = SecretsKey::load_or_create(&path).unwrap();
        assert_eq!(again.open(b"a", &key.seal(b"a", b"x")).unwrap(), b"x");
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);

        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let refused = SecretsKey::load_or_create(&path).unwrap_err().0;
        assert!(refused.contains("chmod 600"), "{refused}");

        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        fs::write(&path, [1u8; 31]).unwrap();
        let refused = SecretsKey::load_or_create(&path).unwrap_err().0;
        assert!(refused.contains("31 bytes"), "{refused}");

        let missing = SecretsKey::load(&dir.path().join("none.key"))
            .unwrap_err()
            .0;
        assert!(missing.contains("none.key"), "{missing}");
    }
}
