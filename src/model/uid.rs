//! Stable public ids of the planners' items (a measure, a saved view): 128 bits, written as
//! a UUID (`3f2b…-…`).
//!
//! The writer that creates an item gives it its id, drawn at random (UUID version 4), so two
//! writers — two windows, the command line, a colleague's copy — can never both take the same
//! one, and a retried write is recognised as the same change. The model only carries and
//! compares ids; drawing one is the caller's business (like reading the clock).

use std::fmt;

/// A stable id; the nil id (0) means "not yet given".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Uid(pub u128);

impl Uid {
    /// Whether no id was given yet.
    pub fn is_nil(self) -> bool {
        self.0 == 0
    }

    /// An id for an item made without a random source (a measure added to a register that
    /// is not part of a project, in tests): unique within the register, and never equal to a
    /// random one (whose version nibble is 4, not 0).
    pub fn local(number: u64) -> Uid {
        Uid(0x5a5a_0000_0000_0000_0000_0000_0000_0000 | u128::from(number))
    }

    /// Reads the hyphenated (`8-4-4-4-12`) or plain 32-digit hexadecimal form, any case.
    pub fn parse(text: &str) -> Option<Uid> {
        let hex: String = text.trim().chars().filter(|c| *c != '-').collect();
        if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u128::from_str_radix(&hex, 16).ok().map(Uid)
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }
}

impl serde::Serialize for Uid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Uid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Uid, D::Error> {
        let text = String::deserialize(d)?;
        Uid::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not an id: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_from_both_written_forms() {
        let id = Uid(0x3f2b_8c1d_4e5f_4a6b_9c7d_8e9f_0a1b_2c3d);
        let text = id.to_string();
        assert_eq!(text, "3f2b8c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d");
        assert_eq!(Uid::parse(&text), Some(id));
        assert_eq!(Uid::parse("3F2B8C1D4E5F4A6B9C7D8E9F0A1B2C3D"), Some(id));
        assert_eq!(Uid::parse("3f2b"), None);
        assert_eq!(Uid::parse("zz2b8c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d"), None);
        assert!(Uid::default().is_nil());
        assert_ne!(Uid::local(1), Uid::local(2));
    }
}
