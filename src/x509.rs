//! What rfsession needs to know about a certificate, in any X.509 version (BMCs still serve
//! version 1 ones, which webpki refuses): its public key, names, validity and the faults
//! worth a warning. Also PEM in and out, for trust kept in a cache entry.

use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Version};

use crate::timefmt;

/// The facts of one certificate.
#[derive(Debug, Clone)]
pub struct Facts {
    pub version: u32,
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    /// The subject's common name, for the operator.
    pub common_name: Option<String>,
    /// subjectAltName DNS names and IP addresses; None when it has no such extension.
    pub alt_names: Option<Vec<String>>,
    pub not_before: i64,
    pub not_after: i64,
    pub is_ca: bool,
    /// The signature algorithm uses SHA-1 (or MD5).
    pub weak_signature: bool,
    /// The SubjectPublicKeyInfo, DER.
    pub spki: Vec<u8>,
}

/// The facts of a DER certificate; None when it is not one.
pub fn facts(der: &[u8]) -> Option<Facts> {
    let (_, c) = X509Certificate::from_der(der).ok()?;
    let alt_names = match c.subject_alternative_name() {
        Ok(Some(ext)) => Some(
            ext.value
                .general_names
                .iter()
                .filter_map(|n| match n {
                    GeneralName::DNSName(d) => Some((*d).to_owned()),
                    GeneralName::IPAddress(ip) => ip_text(ip),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    };
    let sig = c.signature_algorithm.algorithm.to_id_string();
    // sha1WithRSA, md5WithRSA, ecdsa-with-SHA1, dsa-with-SHA1.
    let weak = [
        "1.2.840.113549.1.1.5",
        "1.2.840.113549.1.1.4",
        "1.2.840.10045.4.1",
        "1.2.840.10040.4.3",
    ]
    .contains(&sig.as_str());
    Some(Facts {
        version: match c.version() {
            X509Version::V1 => 1,
            X509Version::V2 => 2,
            X509Version::V3 => 3,
            X509Version(n) => n + 1,
        },
        subject: c.tbs_certificate.subject.as_raw().to_vec(),
        issuer: c.tbs_certificate.issuer.as_raw().to_vec(),
        common_name: c
            .subject()
            .iter_common_name()
            .next()
            .and_then(|cn| cn.as_str().ok())
            .map(str::to_owned),
        alt_names,
        not_before: c.validity().not_before.timestamp(),
        not_after: c.validity().not_after.timestamp(),
        is_ca: c.is_ca(),
        weak_signature: weak,
        spki: c.public_key().raw.to_vec(),
    })
}

fn ip_text(b: &[u8]) -> Option<String> {
    match b.len() {
        4 => Some(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(b).ok()?).to_string()),
        16 => Some(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(b).ok()?).to_string()),
        _ => None,
    }
}

impl Facts {
    /// The names the certificate is for: its subjectAltNames, else its common name.
    pub fn names(&self) -> Vec<String> {
        match &self.alt_names {
            Some(n) if !n.is_empty() => n.clone(),
            _ => self.common_name.iter().cloned().collect(),
        }
    }

    /// What is old or wrong about it, for the warning when `-k` pins it.
    pub fn faults(&self, now: i64) -> Vec<String> {
        let mut out = Vec::new();
        if self.version < 3 {
            out.push(format!("X.509 version {}", self.version));
        }
        if self.weak_signature {
            out.push("signed with SHA-1 or MD5".to_owned());
        }
        if self.alt_names.is_none() {
            out.push("no subjectAltName".to_owned());
        }
        if self.not_after < now {
            out.push(format!("expired on {}", date(self.not_after)));
        }
        if self.not_before > now {
            out.push(format!("not valid before {}", date(self.not_before)));
        }
        out
    }
}

/// `2027-03-01`.
pub fn date(unix: i64) -> String {
    timefmt::rfc3339(unix.max(0) as u64)
        .split('T')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The certificates of a PEM text, DER; other blocks (a private key) are skipped.
pub fn from_pem(pem: &str) -> Vec<Vec<u8>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    CertificateDer::pem_slice_iter(pem.as_bytes())
        .filter_map(Result::ok)
        .map(|c| c.to_vec())
        .collect()
}

/// DER certificates as PEM, 64 columns as openssl writes them.
pub fn to_pem(ders: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for der in ders {
        out.push_str("-----BEGIN CERTIFICATE-----\n");
        let b64 = base64(der);
        for line in b64.as_bytes().chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push('\n');
        }
        out.push_str("-----END CERTIFICATE-----\n");
    }
    out
}

fn base64(data: &[u8]) -> String {
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    base64_into(data, &mut s);
    s
}

/// Standard base64 with padding, appended to `s` (HTTP Basic writes straight into the
/// secret it returns, so no copy of the credentials is left behind).
pub(crate) fn base64_into(data: &[u8], s: &mut String) {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(T[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                s.push('=');
            }
        }
    }
}

/// A SubjectPublicKeyInfo split into its algorithm identifier's contents and the key bits,
/// as webpki's signature algorithms take them.
pub fn split_spki(spki: &[u8]) -> Option<(&[u8], &[u8])> {
    let (seq, _) = tlv(spki, 0x30)?;
    let (alg, rest) = tlv(seq, 0x30)?;
    let (bits, _) = tlv(rest, 0x03)?;
    let (&unused, key) = bits.split_first()?;
    (unused == 0).then_some((alg, key))
}

/// The contents of the DER element of `tag` at the start of `b`, and what follows it.
fn tlv(b: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&t, rest) = b.split_first()?;
    if t != tag {
        return None;
    }
    let (&l, rest) = rest.split_first()?;
    let (len, rest) = if l < 0x80 {
        (usize::from(l), rest)
    } else {
        let n = usize::from(l & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &x| (acc << 8) | usize::from(x));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips() {
        let ders = vec![vec![0u8, 1, 2, 3, 250, 251, 252], (0..=255u8).collect()];
        assert_eq!(from_pem(&to_pem(&ders)), ders);
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b"Man"), "TWFu");
    }

    #[test]
    fn spki_splits_into_algorithm_and_key() {
        // SEQUENCE { SEQUENCE { OID 1.2.3 }, BIT STRING 00 AA BB }
        let spki = [
            0x30, 0x0a, 0x30, 0x03, 0x06, 0x01, 0x2a, 0x03, 0x03, 0x00, 0xaa, 0xbb,
        ];
        assert_eq!(
            split_spki(&spki),
            Some((&[0x06, 0x01, 0x2a][..], &[0xaa, 0xbb][..]))
        );
        assert_eq!(split_spki(&spki[..8]), None);
    }
}
