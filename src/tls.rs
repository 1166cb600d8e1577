//! rustls client configuration: verified by default (the system's CA store, a `--cacert`
//! bundle, or the CA certificates an entry remembers from its login), or trust-on-first-use
//! with `-k` (the leaf certificate's SHA-256 is pinned in the cache entry).
//!
//! The verifier is our own: webpki refuses X.509 version 1 certificates, which BMCs still
//! serve, so handshake signatures are checked with the key taken from the certificate
//! whatever its format, and a trusted certificate that is exactly the one presented is
//! accepted as it is. Every refusal is put in words here, with the one step that changes it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls13_signature_with_raw_key};
use rustls::pki_types::{CertificateDer, ServerName, SubjectPublicKeyInfoDer, UnixTime};
use rustls::{
    AlertDescription, CertificateError, ClientConfig, DigitallySignedStruct, OtherError,
    PeerIncompatible, PeerMisbehaved, RootCertStore, SignatureScheme,
};

use crate::platform;
use crate::x509;

/// The most PEM an entry remembers: a few CA certificates, not a whole system bundle.
pub const MAX_ANCHORS_PEM: usize = 64 * 1024;

/// How the BMC's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Trust {
    /// The system's CA store.
    System,
    /// A PEM bundle given with `--cacert` or the settings file's `cacert`.
    Bundle(PathBuf),
    /// The CA certificates the entry's login verified with.
    Remembered(Anchors),
    /// `-k`: accept any certificate, but remember which one was seen.
    AnyRecorded,
    /// Only the certificate with this fingerprint (pinned by an earlier `-k` login).
    Pinned(String),
}

/// Certificates as PEM, kept in a cache entry: the CA certificates a login verified with,
/// or the certificate a `-k` login pinned.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Anchors(pub String);

impl std::fmt::Debug for Anchors {
    // Short: the digest tells two sets apart.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Anchors({})", &fingerprint(self.0.as_bytes())[..23])
    }
}

impl Anchors {
    pub fn certificates(&self) -> Vec<Vec<u8>> {
        x509::from_pem(&self.0)
    }

    /// "2 certificates, expires 2027-03-01" (the first to expire).
    pub fn summary(&self) -> String {
        let certs = self.certificates();
        let n = certs.len();
        let first_end = certs
            .iter()
            .filter_map(|c| x509::facts(c))
            .map(|f| f.not_after)
            .min();
        let plural = if n == 1 { "" } else { "s" };
        match first_end {
            Some(t) => format!("{n} certificate{plural}, expires {}", x509::date(t)),
            None => format!("{n} certificate{plural}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot read CA bundle {}: {source}; check the path given with --cacert or the settings' cacert", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("CA bundle {} holds no PEM certificate", path.display())]
    Empty { path: PathBuf },
    #[error(
        "no trusted CA certificates found on this system; pass --cacert PEM, or -k to pin the BMC's certificate on first use"
    )]
    NoSystemRoots,
    #[error(
        "the CA certificates remembered in the entry cannot be used; run: rfsession login HOST --force --cacert CA.pem"
    )]
    BadRemembered,
    #[error("TLS setup failed: {0}")]
    Rustls(#[from] rustls::Error),
}

/// What the last handshake showed (a keeper hands it on with each answer).
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    /// SHA-256 of the certificate presented.
    pub fingerprint: Option<String>,
    /// The certificate presented, DER.
    pub leaf: Option<Vec<u8>>,
    /// The trusted certificates the chain was verified with, DER.
    pub anchors: Vec<Vec<u8>>,
}

pub type SeenCert = Arc<Mutex<Seen>>;

/// A refusal in words; travels inside rustls' error to the transport.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// `hint` follows every refusal of a certificate: how this connection's trust is changed.
/// `roots_cache`: where the system's CA certificates are kept decoded between calls.
pub fn client_config(
    trust: &Trust,
    hint: &str,
    seen: SeenCert,
    roots_cache: Option<&Path>,
) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let provider = Arc::new(provider());
    let remember = matches!(trust, Trust::Bundle(_));
    let anchored = |certs: Vec<Vec<u8>>| -> Result<Mode, TlsSetupError> {
        let (webpki, certs) = anchors(certs, &provider)?;
        Ok(Mode::Anchored {
            webpki,
            certs,
            remember,
        })
    };
    let mode = match trust {
        // Read and parsed once per process (a keeper serves many hosts), again when the
        // store's files change.
        Trust::System => {
            type Loaded = (Vec<StoreFile>, Option<Anchored>);
            static SYSTEM: Mutex<Option<Loaded>> = Mutex::new(None);
            let now = system_store_listing();
            let mut system = SYSTEM.lock().unwrap_or_else(|e| e.into_inner());
            if system.as_ref().is_none_or(|(files, _)| *files != now) {
                let loaded = system_roots(&now, roots_cache)
                    .ok()
                    .and_then(|certs| anchors(certs, &Arc::new(self::provider())).ok());
                *system = Some((now, loaded));
            }
            let loaded = system.as_ref().and_then(|(_, a)| a.clone());
            let (webpki, certs) = loaded.ok_or(TlsSetupError::NoSystemRoots)?;
            Mode::Anchored {
                webpki,
                certs,
                remember,
            }
        }
        Trust::Bundle(path) => anchored(bundle(path)?)?,
        Trust::Remembered(a) => {
            let certs = a.certificates();
            if certs.is_empty() {
                return Err(TlsSetupError::BadRemembered);
            }
            anchored(certs)?
        }
        Trust::AnyRecorded => Mode::Any,
        Trust::Pinned(fp) => Mode::Pinned(fp.clone()),
    };
    let verifier = Verifier {
        mode,
        hint: hint.to_owned(),
        seen,
        provider: provider.clone(),
    };
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // One host per configuration: rustls's default cache for 256 servers is allocated up
    // front, in every process and for each of a keeper's hosts.
    config.resumption = rustls::client::Resumption::in_memory_sessions(4);
    Ok(Arc::new(config))
}

/// ring's suites and groups, with what a BMC in FIPS mode accepts offered first: the P-256 key
/// share (such a BMC would answer X25519 with a HelloRetryRequest, a round trip more) and
/// AES-128-GCM with SHA-256 (lighter for a BMC's core than SHA-384). The emulated BMC spends
/// 0.25 ms of CPU on a call's connection instead of 0.30 ms (README, Performance).
fn provider() -> CryptoProvider {
    let mut provider = rustls::crypto::ring::default_provider();
    provider
        .cipher_suites
        .sort_by_key(|s| s.suite() != rustls::CipherSuite::TLS13_AES_128_GCM_SHA256);
    provider
        .kx_groups
        .sort_by_key(|g| g.name() != rustls::NamedGroup::secp256r1);
    provider
}

/// `AB:CD:...`, as `openssl x509 -noout -fingerprint -sha256` prints it.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

/// The certificates of a `--cacert` bundle, DER.
pub fn bundle(path: &Path) -> Result<Vec<Vec<u8>>, TlsSetupError> {
    let bytes = std::fs::read(path).map_err(|source| TlsSetupError::Read {
        path: path.to_owned(),
        source,
    })?;
    let certs = x509::from_pem(&String::from_utf8_lossy(&bytes));
    if certs.is_empty() {
        return Err(TlsSetupError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(certs)
}

/// A verifier for the certificates webpki can read, and all of them (DER) for exact matches.
type Anchored = (Option<Arc<WebPkiServerVerifier>>, Arc<Vec<Vec<u8>>>);

fn anchors(certs: Vec<Vec<u8>>, provider: &Arc<CryptoProvider>) -> Result<Anchored, TlsSetupError> {
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(certs.iter().map(|c| CertificateDer::from(c.clone())));
    // A store of version 1 certificates only is still good for exact matches.
    let webpki = if store.is_empty() {
        None
    } else {
        Some(roots(store, provider)?)
    };
    Ok((webpki, Arc::new(certs)))
}

fn roots(
    store: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, TlsSetupError> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
        .build()
        .map_err(|e| TlsSetupError::Rustls(rustls::Error::General(e.to_string())))
}

/// What decides the system's CA store besides the machine's own files, as OpenSSL and
/// rustls-native-certs read them.
pub const SYSTEM_STORE_VARS: [&str; 2] = ["SSL_CERT_FILE", "SSL_CERT_DIR"];

/// This process's values of `SYSTEM_STORE_VARS`, relative paths made absolute (the keeper
/// runs from /), as the keeper is started with them.
pub fn system_store_env() -> Vec<Option<std::ffi::OsString>> {
    use std::env::{join_paths, split_paths, var_os};
    let absolute = |p: PathBuf| std::path::absolute(&p).unwrap_or(p);
    let file = var_os(SYSTEM_STORE_VARS[0]).map(|v| absolute(v.into()).into_os_string());
    // A list of directories, as rustls-native-certs splits it.
    let dirs = var_os(SYSTEM_STORE_VARS[1]).map(|v| {
        let all = split_paths(&v).filter(|p| !p.as_os_str().is_empty());
        join_paths(all.map(absolute)).unwrap_or(v)
    });
    vec![file, dirs]
}

/// One file or directory a trust is read from, as it is now: its absolute path, and its
/// `platform::file_identity`; None where it cannot be read.
pub type StoreFile = (PathBuf, Option<(u64, u64, u64, i128, i128)>);

/// The files behind `trust` as they are now (none for trust kept in the entry). A kept
/// connection verified with them is not used once they change, and a keeper serves a call
/// only when it finds the same files.
pub fn store_files(trust: &Trust) -> Vec<StoreFile> {
    let paths = match trust {
        Trust::Bundle(p) => vec![p.clone()],
        Trust::System => system_store_paths(),
        _ => return Vec::new(),
    };
    paths
        .into_iter()
        .map(|p| identified(std::path::absolute(&p).unwrap_or(p)))
        .collect()
}

/// `path` with what its file is now (following a symlink).
fn identified(path: PathBuf) -> StoreFile {
    let id = std::fs::metadata(&path)
        .ok()
        .map(|m| platform::file_identity(&m));
    (path, id)
}

/// Where the system's store is read from, as rustls-native-certs reads it: `SSL_CERT_FILE`
/// when set (even empty) and the non-empty entries of `SSL_CERT_DIR`; with neither, the
/// platform's store (on Linux the files OpenSSL would find; on macOS and Windows no files:
/// `platform::probed_ca_store` is then empty).
fn system_store_paths() -> Vec<PathBuf> {
    let env = system_store_env();
    let mut paths: Vec<PathBuf> = env[0].iter().map(PathBuf::from).collect();
    if let Some(dirs) = &env[1] {
        paths.extend(std::env::split_paths(dirs).filter(|p| !p.as_os_str().is_empty()));
    }
    if paths.is_empty() {
        return platform::probed_ca_store();
    }
    paths
}

/// The system's CA certificates, DER, each once, read under `listing`. Taken from `cache`
/// when it was written under the same listing: reading and decoding the store (on Debian a
/// bundle and a directory of ~300 entries) costs a call 1.5 to 4 ms. Else read from the store,
/// and kept in `cache` when the read was complete and the files stood still meanwhile.
fn system_roots(
    listing: &[StoreFile],
    cache: Option<&Path>,
) -> Result<Vec<Vec<u8>>, TlsSetupError> {
    // An empty listing is a store that is not files (macOS's keychain, Windows's store).
    let cache = cache.filter(|_| !listing.is_empty());
    if let Some(certs) = cache.and_then(|c| roots_cache::read(c, listing)) {
        return Ok(certs);
    }
    let found = rustls_native_certs::load_native_certs();
    let mut seen = std::collections::HashSet::new();
    let certs: Vec<Vec<u8>> = found
        .certs
        .into_iter()
        .map(|c| c.to_vec())
        .filter(|c| seen.insert(c.clone()))
        .collect();
    if certs.is_empty() {
        return Err(TlsSetupError::NoSystemRoots);
    }
    if let Some(c) = cache
        && found.errors.is_empty()
        && settled(listing)
        && system_store_listing() == listing
    {
        roots_cache::write(c, listing, &certs);
    }
    Ok(certs)
}

/// No file of `listing` changed within the last 2 s: a file changed within one timestamp
/// tick of being read could change again unseen.
fn settled(listing: &[StoreFile]) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128);
    listing.iter().all(|(_, id)| {
        id.is_none_or(|(_, _, _, mtime, ctime)| now - mtime.max(ctime) > 2_000_000_000)
    })
}

/// `store_files` of the system's store, and every file in its directories: what the store
/// holds, as far as the files' identities tell it.
fn system_store_listing() -> Vec<StoreFile> {
    let mut all = store_files(&Trust::System);
    let dirs: Vec<PathBuf> = all
        .iter()
        .filter(|(p, _)| p.is_dir())
        .map(|(p, _)| p.clone())
        .collect();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        all.extend(files.into_iter().map(identified));
    }
    all
}

/// The system's CA certificates as last read, with the listing they were read under, in one
/// private file of the cache directory: `rfsession-roots 2`, a JSON line (the listing, the
/// number of certificates and the SHA-256 of what follows), then each certificate as a
/// 4-byte little-endian length and its DER.
mod roots_cache {
    use std::path::Path;

    use serde::{Deserialize, Serialize};

    use super::StoreFile;

    const MAGIC: &[u8] = b"rfsession-roots 2\n";
    const MAX: u64 = 16 << 20;

    #[derive(Serialize, Deserialize)]
    struct Head {
        listing: Vec<StoreFile>,
        count: usize,
        sha256: String,
    }

    fn digest(bytes: &[u8]) -> String {
        let d = ring::digest::digest(&ring::digest::SHA256, bytes);
        d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The certificates, when the file was written whole under `listing`; None for anything
    /// else (missing, another listing, cut short, damaged, not ours).
    pub fn read(path: &Path, listing: &[StoreFile]) -> Option<Vec<Vec<u8>>> {
        let bytes = crate::cache::read_private_file(path, MAX)?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let end = rest.iter().position(|&b| b == b'\n')?;
        let head: Head = serde_json::from_slice(&rest[..end]).ok()?;
        let mut rest = &rest[end + 1..];
        if head.listing != listing || head.sha256 != digest(rest) {
            return None;
        }
        let mut certs = Vec::with_capacity(head.count.min(4096));
        while !rest.is_empty() {
            let (len, tail) = rest.split_first_chunk::<4>()?;
            let len = u32::from_le_bytes(*len) as usize;
            certs.push(tail.get(..len)?.to_vec());
            rest = &tail[len..];
        }
        (certs.len() == head.count && certs.iter().all(|c| !c.is_empty())).then_some(certs)
    }

    /// Best effort: a copy that cannot be written costs the next call a read of the store.
    pub fn write(path: &Path, listing: &[StoreFile], certs: &[Vec<u8>]) {
        let Some(dir) = path.parent() else {
            return;
        };
        let mut body = Vec::with_capacity(certs.iter().map(|c| c.len() + 4).sum());
        for c in certs {
            body.extend_from_slice(&(c.len() as u32).to_le_bytes());
            body.extend_from_slice(c);
        }
        let head = Head {
            listing: listing.to_vec(),
            count: certs.len(),
            sha256: digest(&body),
        };
        let Ok(json) = serde_json::to_vec(&head) else {
            return;
        };
        let mut out = Vec::with_capacity(MAGIC.len() + json.len() + 1 + body.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&json);
        out.push(b'\n');
        out.extend_from_slice(&body);
        // Renamed over the old: a reader sees one or the other.
        let _ = crate::cache::replace_in(dir, path, &out, false);
    }
}

#[derive(Debug)]
enum Mode {
    /// Verified against these certificates (webpki for those it can read).
    Anchored {
        webpki: Option<Arc<WebPkiServerVerifier>>,
        certs: Arc<Vec<Vec<u8>>>,
        /// Find the ones that verified the chain, for the entry to remember.
        remember: bool,
    },
    Pinned(String),
    Any,
}

#[derive(Debug)]
struct Verifier {
    mode: Mode,
    hint: String,
    seen: SeenCert,
    provider: Arc<CryptoProvider>,
}

impl Verifier {
    fn refuse(&self, reason: String) -> rustls::Error {
        let text = format!("{reason}; {}", self.hint);
        rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(Refusal(
            text,
        )))))
    }

    fn record(&self, f: impl FnOnce(&mut Seen)) {
        f(&mut self.seen.lock().unwrap_or_else(|e| e.into_inner()));
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let fp = fingerprint(end_entity);
        self.record(|s| {
            *s = Seen {
                fingerprint: Some(fp.clone()),
                leaf: Some(end_entity.to_vec()),
                anchors: Vec::new(),
            }
        });
        let (webpki, certs, remember) = match &self.mode {
            Mode::Any => return Ok(ServerCertVerified::assertion()),
            Mode::Pinned(pin) if *pin == fp => return Ok(ServerCertVerified::assertion()),
            Mode::Pinned(_) => {
                return Err(rustls::Error::InvalidCertificate(
                    CertificateError::ApplicationVerificationFailure,
                ));
            }
            Mode::Anchored {
                webpki,
                certs,
                remember,
            } => (webpki, certs, *remember),
        };
        let verified = match webpki {
            Some(v) => v.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        };
        let facts = x509::facts(end_entity);
        let now = now.as_secs() as i64;
        match verified {
            Ok(v) if remember => {
                let chain: Vec<&[u8]> = std::iter::once(end_entity.as_ref())
                    .chain(intermediates.iter().map(|c| c.as_ref()))
                    .collect();
                let used = anchors_of(&chain, certs);
                self.record(|s| s.anchors = used);
                Ok(v)
            }
            Ok(v) => Ok(v),
            // The operator named this very certificate: any version, any issuer.
            Err(_) if certs.iter().any(|c| c[..] == end_entity[..]) => {
                if let Some(f) = &facts {
                    if f.not_after < now {
                        return Err(
                            self.refuse(format!("it expired on {}", x509::date(f.not_after)))
                        );
                    }
                    if f.not_before > now {
                        return Err(self.refuse(format!(
                            "it is not valid before {} (check this machine's clock and the BMC's)",
                            x509::date(f.not_before)
                        )));
                    }
                }
                self.record(|s| s.anchors = vec![end_entity.to_vec()]);
                Ok(ServerCertVerified::assertion())
            }
            Err(rustls::Error::InvalidCertificate(e)) => {
                Err(self.refuse(certificate_words(&e, facts.as_ref(), server_name)))
            }
            Err(e) => Err(e),
        }
    }

    // Signatures are always checked, with the key taken from the certificate whatever its
    // version: a pinned certificate means something only if the server proves it holds
    // the key.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let spki = spki_of(cert)?;
        let (alg_id, key) = x509::split_spki(&spki).ok_or(rustls::Error::InvalidCertificate(
            CertificateError::BadEncoding,
        ))?;
        let algs = &self.provider.signature_verification_algorithms;
        let candidates = algs
            .mapping
            .iter()
            .find(|(s, _)| *s == dss.scheme)
            .map(|(_, a)| *a)
            .ok_or(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme)?;
        for alg in candidates {
            if alg.public_key_alg_id().as_ref() != alg_id {
                continue;
            }
            return alg
                .verify_signature(key, message, dss.signature())
                .map(|()| HandshakeSignatureValid::assertion())
                .map_err(|_| rustls::Error::InvalidCertificate(CertificateError::BadSignature));
        }
        Err(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme.into())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let spki = spki_of(cert)?;
        verify_tls13_signature_with_raw_key(
            message,
            &SubjectPublicKeyInfoDer::from(spki.as_slice()),
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn spki_of(cert: &CertificateDer<'_>) -> Result<Vec<u8>, rustls::Error> {
    x509::facts(cert)
        .map(|f| f.spki)
        .ok_or(rustls::Error::InvalidCertificate(
            CertificateError::BadEncoding,
        ))
}

/// The trusted certificates that issued the chain's certificates, transitively.
fn anchors_of(chain: &[&[u8]], trusted: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let facts: Vec<(usize, x509::Facts)> = trusted
        .iter()
        .enumerate()
        .filter_map(|(i, c)| x509::facts(c).map(|f| (i, f)))
        .collect();
    let mut issuers: Vec<Vec<u8>> = chain
        .iter()
        .filter_map(|c| x509::facts(c))
        .map(|f| f.issuer)
        .collect();
    let mut used: Vec<usize> = Vec::new();
    while let Some(issuer) = issuers.pop() {
        for (i, f) in &facts {
            if f.subject == issuer && !used.contains(i) {
                used.push(*i);
                if f.issuer != f.subject {
                    issuers.push(f.issuer.clone());
                }
            }
        }
    }
    used.sort_unstable();
    used.into_iter().map(|i| trusted[i].clone()).collect()
}

fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => other.to_str().into_owned(),
    }
}

/// Why a certificate was refused, in words.
fn certificate_words(
    e: &CertificateError,
    facts: Option<&x509::Facts>,
    name: &ServerName<'_>,
) -> String {
    use CertificateError as C;
    let date = |t: Option<i64>| {
        t.map(x509::date)
            .unwrap_or_else(|| "an unknown date".into())
    };
    match e {
        C::UnknownIssuer => {
            "it is not signed by a trusted CA (unknown issuer)".to_owned()
        }
        C::NotValidForName | C::NotValidForNameContext { .. } => {
            // webpki's own list of names is in Rust's debug form: read them from the certificate.
            let names = facts.map(x509::Facts::names).unwrap_or_default();
            let names = if names.is_empty() {
                "no name".to_owned()
            } else {
                names.join(", ")
            };
            format!(
                "it is for {names}, not for {} (name mismatch); connect by a name it is for",
                server_name_text(name)
            )
        }
        C::Expired | C::ExpiredContext { .. } => {
            format!("it expired on {}", date(facts.map(|f| f.not_after)))
        }
        C::NotValidYet | C::NotValidYetContext { .. } => format!(
            "it is not valid before {} (check this machine's clock and the BMC's)",
            date(facts.map(|f| f.not_before))
        ),
        C::BadSignature => "its signature does not verify".to_owned(),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "it is not for TLS servers (extended key usage)".to_owned()
        }
        C::BadEncoding => "it is not a well-formed certificate".to_owned(),
        C::Revoked => "it was revoked".to_owned(),
        C::UnhandledCriticalExtension => {
            "it has a critical extension rustls does not know".to_owned()
        }
        _ => match facts {
            Some(f) if f.version < 3 => format!(
                "it is an X.509 version {} certificate, which no CA can vouch for (unsupported certificate version)",
                f.version
            ),
            Some(f) if f.is_ca => {
                "it is a CA certificate used as the BMC's own (basicConstraints CA:TRUE)".to_owned()
            }
            _ => "it is signed with an algorithm rustls does not support, or failed verification otherwise".to_owned(),
        },
    }
}

/// What went wrong in a handshake that did not get to the certificate, in words.
pub fn handshake_words(e: &rustls::Error) -> String {
    use rustls::Error as E;
    match e {
        E::InvalidCertificate(c) => match c {
            CertificateError::Other(o) => match o.0.downcast_ref::<Refusal>() {
                Some(r) => r.0.clone(),
                None => "the certificate failed verification".to_owned(),
            },
            c => certificate_words(c, None, &ServerName::from(std::net::IpAddr::from([0, 0, 0, 0]))),
        },
        E::AlertReceived(AlertDescription::ProtocolVersion)
        | E::PeerIncompatible(PeerIncompatible::ServerDoesNotSupportTls12Or13) => {
            "the BMC refused TLS 1.2 and 1.3: it speaks only an older version (TLS 1.0 or 1.1, or SSL), which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware".to_owned()
        }
        E::AlertReceived(AlertDescription::HandshakeFailure | AlertDescription::InsufficientSecurity)
        | E::PeerIncompatible(
            PeerIncompatible::NoCipherSuitesInCommon
            | PeerIncompatible::NoSignatureSchemesInCommon
            | PeerIncompatible::NoKxGroupsInCommon,
        ) => "the BMC refused every cipher suite and signature scheme rustls offered (TLS 1.2 and 1.3 with AES-GCM or ChaCha20; ECDSA, Ed25519, RSA-PSS or RSA PKCS#1 with SHA-256 or better): it offers only older ones such as SHA-1 signatures, RC4 or 3DES; update the BMC's firmware or its TLS settings".to_owned(),
        E::PeerMisbehaved(PeerMisbehaved::SignedHandshakeWithUnadvertisedSigScheme) => {
            "the BMC signed the handshake with a scheme rustls does not offer (such as RSA PKCS#1 with SHA-1); update the BMC's firmware or its TLS settings".to_owned()
        }
        E::InvalidMessage(_) => {
            "the answer is not TLS; check that HOST speaks HTTPS on that port".to_owned()
        }
        E::AlertReceived(a) => format!(
            "the BMC ended the handshake with the TLS alert {}",
            words(&format!("{a:?}"))
        ),
        E::PeerIncompatible(p) => format!(
            "the BMC's TLS is incompatible with rustls: {}",
            words(&format!("{p:?}"))
        ),
        E::PeerMisbehaved(p) => format!(
            "the BMC broke the TLS protocol: {}",
            words(&format!("{p:?}"))
        ),
        E::General(s) => s.clone(),
        _ => "the TLS handshake failed; check that HOST speaks HTTPS on that port".to_owned(),
    }
}

/// The refusal of a BMC whose ServerHello (the first bytes it sent) picked a version
/// older than TLS 1.2, naming it.
pub fn offered_version(first: &[u8]) -> Option<&'static str> {
    // Record: handshake (22), version, length; then ServerHello (2), length, version.
    if first.len() < 11 || first[0] != 22 || first[5] != 2 {
        return None;
    }
    Some(match (first[9], first[10]) {
        (3, 0) => {
            "the BMC offered only SSL 3.0, which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware"
        }
        (3, 1) => {
            "the BMC offered only TLS 1.0, which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware"
        }
        (3, 2) => {
            "the BMC offered only TLS 1.1, which rustls refuses as insecure; enable TLS 1.2 on the BMC or update its firmware"
        }
        _ => return None,
    })
}

/// `NoCipherSuitesInCommon` as "no cipher suites in common"; anything but a bare name
/// (Rust's debug form of a value) as "an unnamed reason".
fn words(name: &str) -> String {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return "an unnamed reason".to_owned();
    }
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fips_choices_come_first_and_nothing_is_dropped() {
        let ours = provider();
        let ring = rustls::crypto::ring::default_provider();
        assert_eq!(ours.kx_groups[0].name(), rustls::NamedGroup::secp256r1);
        assert_eq!(
            ours.cipher_suites[0].suite(),
            rustls::CipherSuite::TLS13_AES_128_GCM_SHA256
        );
        let mut names: Vec<_> = ours.kx_groups.iter().map(|g| g.name()).collect();
        let mut theirs: Vec<_> = ring.kx_groups.iter().map(|g| g.name()).collect();
        names.sort_by_key(|n| u16::from(*n));
        theirs.sort_by_key(|n| u16::from(*n));
        assert_eq!(names, theirs);
        let mut suites: Vec<_> = ours.cipher_suites.iter().map(|s| s.suite()).collect();
        let mut theirs: Vec<_> = ring.cipher_suites.iter().map(|s| s.suite()).collect();
        suites.sort_by_key(|s| u16::from(*s));
        theirs.sort_by_key(|s| u16::from(*s));
        assert_eq!(suites, theirs);
    }

    #[test]
    fn an_old_server_hello_is_named() {
        let hello = [22, 3, 1, 0, 44, 2, 0, 0, 40, 3, 2, 0, 0];
        assert!(offered_version(&hello).unwrap().contains("only TLS 1.1,"));
        assert_eq!(offered_version(&[21, 3, 3, 0, 2, 2, 40]), None);
    }

    #[test]
    fn reasons_are_words() {
        assert_eq!(
            words("NoCipherSuitesInCommon"),
            "no cipher suites in common"
        );
        assert_eq!(words("Unknown(42)"), "an unnamed reason");
        let e = rustls::Error::PeerIncompatible(PeerIncompatible::Tls12NotOffered);
        assert!(
            !handshake_words(&e).contains('('),
            "{}",
            handshake_words(&e)
        );
    }
}
