//! Secrets hidden from the request log when a request is recorded.

use std::hash::{BuildHasher, RandomState};
use std::ops::Range;

use serde_json::Value;

/// A place in a request where a fake's API carries a secret; the log keeps a stand-in instead
/// (see [`Server::redacted`](crate::Server::redacted)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secret {
    /// The whole value of a header (any case), e.g. `apikey`.
    Header(&'static str),
    /// What follows the scheme in a header: `Authorization: Bearer <secret>`.
    Credentials(&'static str),
    /// One `name=value` parameter of a header, e.g. EdgeGrid's `client_token` in
    /// `Authorization: EG1-HMAC-SHA256 client_token=…;access_token=…;…`.
    HeaderParam(&'static str, &'static str),
    /// The value of every field with this name in a JSON body, at any depth (`apiKey`).
    JsonField(&'static str),
}

/// Replaces secrets with stand-ins such as `[redacted:1a2b3c4d]`: a keyed hash, random per
/// server, so that a log shows whether two requests carried the same secret without holding it.
pub(crate) struct Redactor {
    secrets: Vec<Secret>,
    key: RandomState,
}

impl Redactor {
    pub(crate) fn new(secrets: Vec<Secret>) -> Self {
        Self {
            secrets,
            key: RandomState::new(),
        }
    }

    /// What the log shows instead of `secret`.
    pub(crate) fn stand_in(&self, secret: &str) -> String {
        // The low 32 bits suffice to tell a test's few secrets apart.
        format!("[redacted:{:08x}]", self.key.hash_one(secret) as u32)
    }

    /// The value of header `name` as the log keeps it.
    pub(crate) fn header(&self, name: &str, value: &str) -> String {
        let mut value = value.to_owned();
        for secret in &self.secrets {
            match *secret {
                Secret::Header(header) if header.eq_ignore_ascii_case(name) => {
                    value = self.stand_in(&value);
                }
                Secret::Credentials(header) if header.eq_ignore_ascii_case(name) => {
                    value = match value.split_once(' ') {
                        Some((scheme, credentials)) => {
                            format!("{scheme} {}", self.stand_in(credentials))
                        }
                        None => self.stand_in(&value),
                    };
                }
                Secret::HeaderParam(header, param) if header.eq_ignore_ascii_case(name) => {
                    let spans: Vec<Range<usize>> = params(&value)
                        .filter(|(name, _)| *name == param)
                        .map(|(_, span)| span)
                        .collect();
                    for span in spans.into_iter().rev() {
                        let stand_in = self.stand_in(&value[span.clone()]);
                        value.replace_range(span, &stand_in);
                    }
                }
                _ => {}
            }
        }
        value
    }

    /// The body as the log keeps it: byte for byte, unless a secret JSON field was replaced.
    pub(crate) fn body(&self, body: &[u8]) -> Vec<u8> {
        let fields: Vec<&str> = self
            .secrets
            .iter()
            .filter_map(|secret| match secret {
                Secret::JsonField(field) => Some(*field),
                _ => None,
            })
            .collect();
        if fields.is_empty() {
            return body.to_vec();
        }
        let Ok(mut json) = serde_json::from_slice::<Value>(body) else {
            return body.to_vec();
        };
        if self.json(&mut json, &fields) {
            json.to_string().into_bytes()
        } else {
            body.to_vec()
        }
    }

    /// Replaces the values of `fields` in `value`; true when one was found.
    fn json(&self, value: &mut Value, fields: &[&str]) -> bool {
        let mut found = false;
        match value {
            Value::Object(object) => {
                for (name, field) in object.iter_mut() {
                    if fields.contains(&name.as_str()) {
                        let secret = field
                            .as_str()
                            .map_or_else(|| field.to_string(), str::to_owned);
                        *field = Value::String(self.stand_in(&secret));
                        found = true;
                    } else {
                        found |= self.json(field, fields);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    found |= self.json(item, fields);
                }
            }
            _ => {}
        }
        found
    }
}

/// The `name=value` parameters of a header value (`Scheme a=1;b=2`, `a=1, b=2`): each name
/// with the byte range of its value.
pub(crate) fn params(value: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    let mut offset = 0;
    value.split([';', ',', ' ']).filter_map(move |segment| {
        let start = offset;
        offset += segment.len() + 1;
        let (name, param) = segment.split_once('=')?;
        let from = start + name.len() + 1;
        Some((name, from..from + param.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_keep_only_what_is_not_secret() {
        let redactor = Redactor::new(vec![
            Secret::Header("apikey"),
            Secret::Credentials("authorization"),
            Secret::HeaderParam("x-edgegrid", "client_token"),
            Secret::HeaderParam("x-edgegrid", "access_token"),
        ]);
        assert_eq!(
            redactor.header("APIKey", "k-1"),
            redactor.stand_in("k-1"),
            "header names match in any case"
        );
        assert_eq!(
            redactor.header("authorization", "Bearer t-1"),
            format!("Bearer {}", redactor.stand_in("t-1"))
        );
        let edgegrid = "EG1-HMAC-SHA256 client_token=ct;access_token=at;nonce=n;signature=s=";
        assert_eq!(
            redactor.header("x-edgegrid", edgegrid),
            format!(
                "EG1-HMAC-SHA256 client_token={};access_token={};nonce=n;signature=s=",
                redactor.stand_in("ct"),
                redactor.stand_in("at")
            )
        );
        assert_eq!(redactor.header("user-agent", "ua/1"), "ua/1");
        assert_ne!(redactor.stand_in("a"), redactor.stand_in("b"));
        assert_ne!(
            redactor.stand_in("a"),
            Redactor::new(Vec::new()).stand_in("a"),
            "the key is random per server"
        );
    }

    #[test]
    fn json_fields_are_replaced_at_any_depth_and_other_bodies_kept() {
        let redactor = Redactor::new(vec![Secret::JsonField("apiKey")]);
        let body = br#"{"grantType":"api_key","apiKey":"k","nested":[{"apiKey":7}]}"#;
        let kept: Value = serde_json::from_slice(&redactor.body(body)).expect("JSON");
        assert_eq!(kept["grantType"], "api_key");
        assert_eq!(kept["apiKey"], Value::String(redactor.stand_in("k")));
        assert_eq!(
            kept["nested"][0]["apiKey"],
            Value::String(redactor.stand_in("7"))
        );
        for untouched in [&b"{ \"other\" : 1 }"[..], b"not json", b""] {
            assert_eq!(redactor.body(untouched), untouched);
        }
    }

    #[test]
    fn params_name_their_values() {
        let found: Vec<_> = params("Scheme a=1;b=x=, c=3")
            .map(|(name, span)| (name, &"Scheme a=1;b=x=, c=3"[span]))
            .collect();
        assert_eq!(found, [("a", "1"), ("b", "x="), ("c", "3")]);
    }
}
