//! The test CA and the BMCs' certificates, including the odd ones BMCs serve in the field.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rcgen::{PublicKeyData, SigningKey};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

pub(crate) struct Ca {
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
    pub(crate) pem_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Which certificate a BMC serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// Signed by the test CA, for the BMC's address and localhost.
    Signed,
    /// Self-signed, as an impostor on the BMC's address would present.
    SelfSigned,
    /// X.509 version 1, self-signed, without extensions (no subjectAltName): what HPE's CSM
    /// Redfish emulator, older BMC firmware and pyOpenSSL make.
    Version1,
    /// Version 1 whose signature algorithm says ecdsa-with-SHA1, as certificates of that
    /// era do. (ring signs no SHA-1, so the signature is SHA-256's: nobody who trusts a
    /// certificate as it is checks its self-signature.)
    Version1Sha1,
    /// Self-signed with basicConstraints CA:TRUE: a leaf that is its own CA.
    OwnCa,
    /// Signed by the test CA for bmc.example.net only.
    WrongName,
    /// Signed by the test CA, expired on 2020-01-01.
    Expired,
    /// Signed by the test CA, valid from 2090-01-01.
    NotYetValid,
}

impl CertKind {
    pub const ALL: [(&'static str, CertKind); 8] = [
        ("signed", CertKind::Signed),
        ("self-signed", CertKind::SelfSigned),
        ("v1", CertKind::Version1),
        ("v1-sha1", CertKind::Version1Sha1),
        ("own-ca", CertKind::OwnCa),
        ("wrong-name", CertKind::WrongName),
        ("expired", CertKind::Expired),
        ("not-yet-valid", CertKind::NotYetValid),
    ];

    pub fn from_name(name: &str) -> Option<CertKind> {
        CertKind::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, k)| *k)
    }
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
    certificate(CertKind::Signed, ip, false).0
}

/// A fresh certificate of `kind` for `ip`: the server's configuration (TLS 1.2 only, as
/// many BMCs still are, with `tls12`) and the DER.
pub fn certificate(
    kind: CertKind,
    ip: IpAddr,
    tls12: bool,
) -> (Arc<rustls::ServerConfig>, Vec<u8>) {
    let names = match kind {
        CertKind::WrongName => vec!["bmc.example.net".to_owned()],
        _ => vec!["localhost".to_owned(), ip.to_string()],
    };
    let mut params = rcgen::CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("bmc {ip}"));
    let key = rcgen::KeyPair::generate().unwrap();
    let der = match kind {
        CertKind::Version1 => version1(&format!("bmc {ip}"), &key, false),
        CertKind::Version1Sha1 => version1(&format!("bmc {ip}"), &key, true),
        CertKind::SelfSigned => params.self_signed(&key).unwrap().der().to_vec(),
        CertKind::OwnCa => {
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            params.self_signed(&key).unwrap().der().to_vec()
        }
        CertKind::Signed | CertKind::WrongName | CertKind::Expired | CertKind::NotYetValid => {
            match kind {
                CertKind::Expired => {
                    params.not_before = rcgen::date_time_ymd(2015, 1, 1);
                    params.not_after = rcgen::date_time_ymd(2020, 1, 1);
                }
                CertKind::NotYetValid => {
                    params.not_before = rcgen::date_time_ymd(2090, 1, 1);
                    params.not_after = rcgen::date_time_ymd(2099, 1, 1);
                }
                _ => {}
            }
            params.signed_by(&key, &ca().issuer).unwrap().der().to_vec()
        }
    };
    (tls_config(der.clone(), &key, tls12), der)
}

/// An X.509 version 1 certificate, self-signed with ECDSA P-256 and SHA-256, valid
/// 2020 to 2049: no version field and no extensions. rcgen writes only version 3, so
/// the DER is put together here.
fn version1(cn: &str, key: &rcgen::KeyPair, says_sha1: bool) -> Vec<u8> {
    const ECDSA_SHA256: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    const ECDSA_SHA1: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
    let alg = der(0x30, if says_sha1 { ECDSA_SHA1 } else { ECDSA_SHA256 });
    let name = der(
        0x30,
        &der(
            0x31,
            &der(
                0x30,
                &[der(0x06, &[0x55, 0x04, 0x03]), der(0x0c, cn.as_bytes())].concat(),
            ),
        ),
    );
    let validity = der(
        0x30,
        &[der(0x17, b"200101000000Z"), der(0x17, b"491231235959Z")].concat(),
    );
    let serial = der(0x02, &[0x01, 0x23, 0x45, 0x67]);
    let tbs = der(
        0x30,
        &[
            serial,
            alg.clone(),
            name.clone(),
            validity,
            name,
            key.subject_public_key_info(),
        ]
        .concat(),
    );
    let sig = key.sign(&tbs).unwrap();
    let bits = der(0x03, &[&[0u8][..], &sig].concat());
    der(0x30, &[tbs, alg, bits].concat())
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend([0x81, n as u8]);
    } else {
        out.extend([0x82, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(content);
    out
}

/// The certificate is served as it is: rustls' own builder parses it with webpki, which
/// refuses version 1.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}

fn tls_config(der: Vec<u8>, key: &rcgen::KeyPair, tls12: bool) -> Arc<rustls::ServerConfig> {
    let chain = vec![CertificateDer::from(der)];
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let signing = provider.key_provider.load_private_key(key).unwrap();
    let versions: &[&rustls::SupportedProtocolVersion] = if tls12 {
        &[&rustls::version::TLS12]
    } else {
        rustls::DEFAULT_VERSIONS
    };
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(Fixed(Arc::new(CertifiedKey::new(chain, signing)))));
    Arc::new(config)
}
