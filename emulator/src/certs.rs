//! The test CA and the BMCs' certificates.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

pub(crate) struct Ca {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pub(crate) pem_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// One CA per process signs every emulated BMC's certificate.
pub(crate) fn ca() -> &'static Ca {
    static CA: OnceLock<Ca> = OnceLock::new();
    CA.get_or_init(|| {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "rfsession test BMC CA");
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let pem_path = dir.path().join("ca.pem");
        std::fs::write(&pem_path, cert.pem()).unwrap();
        Ca {
            issuer: rcgen::Issuer::new(params, key),
            pem_path,
            _dir: dir,
        }
    })
}

/// A fresh leaf certificate for `ip` and localhost, signed by the test CA.
pub fn server_config(ip: IpAddr) -> Arc<rustls::ServerConfig> {
    let (params, key) = leaf_params(ip);
    let cert = params.signed_by(&key, &ca().issuer).unwrap();
    tls_config(cert.der().to_vec(), key)
}

/// A self-signed certificate, as an impostor on the BMC's address would present.
pub(crate) fn self_signed_config(ip: IpAddr) -> Arc<rustls::ServerConfig> {
    let (params, key) = leaf_params(ip);
    let cert = params.self_signed(&key).unwrap();
    tls_config(cert.der().to_vec(), key)
}

fn leaf_params(ip: IpAddr) -> (rcgen::CertificateParams, rcgen::KeyPair) {
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), ip.to_string()]).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("bmc {ip}"));
    (params, rcgen::KeyPair::generate().unwrap())
}

fn tls_config(der: Vec<u8>, key: rcgen::KeyPair) -> Arc<rustls::ServerConfig> {
    let chain = vec![CertificateDer::from(der)];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    Arc::new(config)
}
