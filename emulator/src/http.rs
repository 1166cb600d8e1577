//! HTTP/1.1 on one connection: reading requests, writing responses.

use std::io::{self, BufRead, Write};

use serde_json::{Value, json};

/// A request as the BMC saw it (header names lower-cased).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

pub(crate) fn read_request(r: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let (method, path) = (method.to_owned(), path.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 {
            return Ok(None);
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let len: usize = header(&headers, "content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len.min(1 << 20)];
    r.read_exact(&mut body)?;
    Ok(Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }))
}

#[derive(Default)]
pub(crate) struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Never answer (a hung DELETE).
    pub hang: bool,
}

#[derive(Default)]
pub(crate) enum Body {
    #[default]
    Empty,
    Bytes(Vec<u8>),
    /// `{"Data":"aaaa..."}` of this many bytes in all, streamed.
    Huge(u64),
}

impl Resp {
    pub fn json(status: u16, v: Value) -> Resp {
        Resp::raw(
            status,
            "application/json; charset=utf-8",
            &serde_json::to_vec(&v).unwrap(),
        )
    }

    pub fn raw(status: u16, content_type: &str, body: &[u8]) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.to_vec()),
            hang: false,
        }
    }

    pub fn empty(status: u16) -> Resp {
        Resp {
            status,
            ..Resp::default()
        }
    }

    pub fn with(mut self, k: &str, v: impl Into<String>) -> Resp {
        self.headers.push((k.to_owned(), v.into()));
        self
    }

    /// The body as JSON, for the service to add headers derived from it.
    pub fn json_body(&self) -> Option<Value> {
        match &self.body {
            Body::Bytes(b) => serde_json::from_slice(b).ok(),
            _ => None,
        }
    }
}

/// A Redfish error response with one message.
pub(crate) fn redfish_error(status: u16, id: &str, message: &str) -> Resp {
    Resp::json(
        status,
        json!({"error": {
            "code": "Base.1.8.GeneralError",
            "message": "A general error has occurred. See ExtendedInfo for more information.",
            "@Message.ExtendedInfo": [{"MessageId": id, "Message": message, "Severity": "Critical"}]
        }}),
    )
}

/// Write `resp`; for HEAD the headers only (with the length a GET would have).
pub(crate) fn write_response(
    w: &mut dyn Write,
    resp: Resp,
    lower_case: bool,
    head: bool,
) -> io::Result<()> {
    let name = |k: &str| {
        if lower_case {
            k.to_ascii_lowercase()
        } else {
            k.to_owned()
        }
    };
    let len = match &resp.body {
        Body::Empty => 0,
        Body::Bytes(b) => b.len() as u64,
        Body::Huge(n) => *n,
    };
    let mut head_text = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head_text.push_str(&format!("{}: {v}\r\n", name(k)));
    }
    head_text.push_str(&format!("{}: {len}\r\n\r\n", name("Content-Length")));
    let mut out = io::BufWriter::with_capacity(64 * 1024, w);
    out.write_all(head_text.as_bytes())?;
    if !head {
        match resp.body {
            Body::Empty => {}
            Body::Bytes(b) => out.write_all(&b)?,
            Body::Huge(n) => {
                out.write_all(b"{\"Data\":\"")?;
                let chunk = vec![b'a'; 64 * 1024];
                let mut left = n - 11;
                while left > 0 {
                    let k = left.min(chunk.len() as u64) as usize;
                    out.write_all(&chunk[..k])?;
                    left -= k as u64;
                }
                out.write_all(b"\"}")?;
            }
        }
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        412 => "Precondition Failed",
        415 => "Unsupported Media Type",
        428 => "Precondition Required",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_and_percent_decoding_works() {
        let raw = b"PATCH /x HTTP/1.1\r\nIf-Match: \"1\"\r\nContent-Length: 2\r\n\r\n{}";
        let r = read_request(&mut &raw[..]).unwrap().unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str()), ("PATCH", "/x"));
        assert_eq!(r.header("IF-MATCH"), Some("\"1\""));
        assert_eq!(r.body, "{}");
        assert_eq!(percent_decode("a%2Fb%zz"), "a/b%zz");
    }

    #[test]
    fn head_sends_the_length_but_no_body() {
        let mut out = Vec::new();
        write_response(&mut out, Resp::json(200, json!({"a": 1})), false, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("Content-Length: 7\r\n\r\n"), "{text}");
    }
}
