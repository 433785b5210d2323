//! The status of a success body, carried past the generated code as trailing JSON whitespace.
//!
//! Progenitor's decoder reports a body it cannot decode as `InvalidResponsePayload(body,
//! error)`, without the status. JSON allows whitespace after the value, so the runtime appends
//! a few whitespace bytes that spell the status to every JSON body it hands to the generated
//! code: a body that decodes decodes exactly as before, and one that does not gives its status
//! back from the bytes the error keeps. This costs a few bytes per response, where checking
//! each body's syntax before decoding it would cost a second parse.

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;

/// Opens the trailer, so that a body from elsewhere that happens to end in whitespace is not
/// read as one.
const MARK: &[u8] = b"\r\t\r";

/// The four JSON whitespace bytes, used as base-4 digits.
const DIGITS: [u8; 4] = [b' ', b'\t', b'\n', b'\r'];

/// Base-4 digits that spell a status: 4⁵ = 1024 covers every three-digit code.
const STATUS_DIGITS: usize = 5;

/// How many bytes [`append`] adds.
pub(crate) const LEN: usize = MARK.len() + STATUS_DIGITS;

/// `body` followed by the trailer that spells `status`. Copies the body only when it is shared
/// or has no room left for the trailer.
pub(crate) fn append(body: Bytes, status: StatusCode) -> Bytes {
    let mut digits = [0; STATUS_DIGITS];
    let mut code = usize::from(status.as_u16());
    for digit in digits.iter_mut().rev() {
        *digit = DIGITS[code % 4];
        code /= 4;
    }
    let mut full = BytesMut::from(body);
    full.reserve(LEN);
    full.extend_from_slice(MARK);
    full.extend_from_slice(&digits);
    full.freeze()
}

/// The status spelled by the trailer of a body made by [`append`], and the body without it;
/// `None` when `body` has no trailer.
pub(crate) fn split(body: &Bytes) -> Option<(StatusCode, Bytes)> {
    let at = body.len().checked_sub(LEN)?;
    let digits = body[at..].strip_prefix(MARK)?;
    let code = digits.iter().try_fold(0u16, |code, byte| {
        let digit = DIGITS.iter().position(|d| d == byte)?;
        Some(code * 4 + digit as u16)
    })?;
    Some((StatusCode::from_u16(code).ok()?, body.slice(..at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_and_json_still_decodes() {
        for code in 100..=999 {
            let status = StatusCode::from_u16(code).expect("valid status");
            let full = append(Bytes::from_static(br#"{"id":1} "#), status);
            assert_eq!(full.len(), 9 + LEN);
            let value: serde_json::Value = serde_json::from_slice(&full).expect("still JSON");
            assert_eq!(value["id"], 1);
            assert_eq!(
                split(&full),
                Some((status, Bytes::from_static(br#"{"id":1} "#)))
            );
        }
    }

    #[test]
    fn bodies_that_end_like_a_trailer_come_back_whole() {
        for body in [
            "\r\t\r  \t\n ",
            "{}\r\t\r\r\r\r\r\r",
            "[]\n\r\t\r     \r\t\r",
            "\r\t\r",
        ] {
            let full = append(Bytes::from(body), StatusCode::OK);
            assert_eq!(
                split(&full),
                Some((StatusCode::OK, Bytes::from(body))),
                "{body:?}"
            );
        }
    }

    #[test]
    fn appends_in_place_when_there_is_room() {
        let mut body = BytesMut::with_capacity(64);
        body.extend_from_slice(b"[1,2,3]");
        let body = body.freeze();
        let start = body.as_ptr();
        let full = append(body, StatusCode::OK);
        assert_eq!(full.as_ptr(), start, "no copy");
        assert_eq!(&full[..7], b"[1,2,3]");
    }

    #[test]
    fn bodies_without_a_trailer_are_not_misread() {
        for body in [
            "",
            "{}",
            "{}\r\n",
            "[1]        ",
            "{}\r\t\rxxxxx",
            "{}\t\r\t\r\r\r\r\r",
            // The mark, then digits that spell no status (0 and 1023).
            "[]\r\t\r     ",
            "[]\r\t\r\r\r\r\r\r",
        ] {
            assert_eq!(split(&Bytes::from(body)), None, "{body:?}");
        }
    }
}
