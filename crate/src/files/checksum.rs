//! The files' integrity check and text encoding: one FNV-1a 64 and one base64 for every format.
//!
//! The weight pack (`.gpk`) sums its bytes as one run; the model file (JSON) sums its tensors as
//! separate parts, each closed by a 0xff byte so that moving bytes between parts changes the sum.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

fn feed(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(PRIME);
    }
    h
}

/// FNV-1a 64 of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    feed(OFFSET, bytes)
}

/// FNV-1a 64 of `parts`, each followed by a 0xff byte.
pub fn fnv1a_parts(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(OFFSET, |h, part| feed(feed(h, part), &[0xff]))
}

/// Standard base64 with padding (RFC 4648), small enough to keep here.
pub mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, String> {
        let text = text.as_bytes();
        if text.len() % 4 != 0 {
            return Err("base64 length is not a multiple of 4".into());
        }
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        for (ci, chunk) in text.chunks(4).enumerate() {
            let last = ci == text.len() / 4 - 1;
            let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
            if pad > 2 || (pad > 0 && !last) {
                return Err("misplaced base64 padding".into());
            }
            let mut n = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                let v = if i >= 4 - pad {
                    0
                } else {
                    ALPHABET.iter().position(|&a| a == c).ok_or_else(|| format!("invalid base64 character {:?}", c as char))? as u32
                };
                n = n << 6 | v;
            }
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&bytes[..3 - pad]);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_known_values() {
        // The published FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_parts(&[b"ab", b"c"]), fnv1a(b"ab\xffc\xff"));
        assert_ne!(fnv1a_parts(&[b"ab", b"c"]), fnv1a_parts(&[b"a", b"bc"]));
    }

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        for n in 0..40 {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64::decode(&base64::encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64::encode(b"Man"), "TWFu");
        assert_eq!(base64::encode(b"Ma"), "TWE=");
        assert!(base64::decode("TWF").is_err());
        assert!(base64::decode("TW=u").is_err());
        assert!(base64::decode("T!Fu").is_err());
    }
}
