//! rustls client configuration: verified by default, a CA bundle with `--cacert`, or
//! trust-on-first-use with `-k` (the leaf certificate's SHA-256 is pinned in the cache entry).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// How the BMC's certificate is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Trust {
    /// The system's CA store.
    System,
    /// A PEM bundle given with `--cacert`.
    Bundle(PathBuf),
    /// `-k`: accept any certificate, but remember which one was seen.
    AnyRecorded,
    /// Only the certificate with this fingerprint (pinned by an earlier `-k` login).
    Pinned(String),
}

#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error("cannot read CA bundle {}: {source}", path.display())]
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
    #[error("TLS setup failed: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The fingerprint of the certificate the server presented, filled in during the handshake.
pub type SeenCert = Arc<Mutex<Option<String>>>;

pub fn client_config(trust: &Trust, seen: SeenCert) -> Result<Arc<ClientConfig>, TlsSetupError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let webpki = match trust {
        Trust::System => Some(system_verifier(&provider)?),
        Trust::Bundle(path) => Some(roots(bundle_roots(path)?, &provider)?),
        Trust::AnyRecorded | Trust::Pinned(_) => None,
    };
    let pinned = match trust {
        Trust::Pinned(fp) => Some(fp.clone()),
        _ => None,
    };
    let verifier = Verifier {
        webpki,
        pinned,
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

/// `AB:CD:...`, as `openssl x509 -noout -fingerprint -sha256` prints it.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    let hex: Vec<String> = digest.as_ref().iter().map(|b| format!("{b:02X}")).collect();
    hex.join(":")
}

fn roots(
    store: RootCertStore,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, TlsSetupError> {
    WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider.clone())
        .build()
        .map_err(|e| TlsSetupError::Rustls(rustls::Error::General(e.to_string())))
}

fn bundle_roots(path: &Path) -> Result<RootCertStore, TlsSetupError> {
    let bytes = std::fs::read(path).map_err(|source| TlsSetupError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut store = RootCertStore::empty();
    let certs = CertificateDer::pem_slice_iter(&bytes).filter_map(Result::ok);
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(TlsSetupError::Empty {
            path: path.to_owned(),
        });
    }
    Ok(store)
}

/// The system's CA store, read and parsed once per process (a keeper serves many hosts).
fn system_verifier(
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>, TlsSetupError> {
    static SYSTEM: std::sync::OnceLock<Arc<RootCertStore>> = std::sync::OnceLock::new();
    let store = SYSTEM
        .get_or_init(|| Arc::new(system_roots().unwrap_or_else(|_| RootCertStore::empty())))
        .clone();
    if store.is_empty() {
        return Err(TlsSetupError::NoSystemRoots);
    }
    WebPkiServerVerifier::builder_with_provider(store, provider.clone())
        .build()
        .map_err(|e| TlsSetupError::Rustls(rustls::Error::General(e.to_string())))
}

fn system_roots() -> Result<RootCertStore, TlsSetupError> {
    let mut store = RootCertStore::empty();
    store.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    if store.is_empty() {
        return Err(TlsSetupError::NoSystemRoots);
    }
    Ok(store)
}

#[derive(Debug)]
struct Verifier {
    webpki: Option<Arc<WebPkiServerVerifier>>,
    pinned: Option<String>,
    seen: SeenCert,
    provider: Arc<CryptoProvider>,
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
        *self.seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(fp.clone());
        if let Some(pin) = &self.pinned {
            return if *pin == fp {
                Ok(ServerCertVerified::assertion())
            } else {
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::ApplicationVerificationFailure,
                ))
            };
        }
        match &self.webpki {
            Some(v) => v.verify_server_cert(end_entity, intermediates, server_name, ocsp, now),
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    // Signatures are always checked: a pinned certificate means something only if the
    // server proves it holds the key.
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
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
