//! A command or response data field as a sequence of BER-TLV data objects (ISO/IEC 7816-4:2020
//! clause 6.3): the control reference data objects of MANAGE SECURITY ENVIRONMENT (clause
//! 11.5.1, table 63) and the content of GENERAL AUTHENTICATE's dynamic authentication data
//! template 7C (clause 11.5.6, table 73).
//!
//! Parsing keeps the objects in order as far as they parse and notes whether anything did not,
//! so that each protocol's chip can decide what it tolerates (some ignore unknown objects, some
//! refuse them) with the same bytes in hand.

use crate::tlv::{self, Children};

/// Data objects in order, and whether bytes that are not a data object followed them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataObjects {
    /// Tag and value of each object, in order.
    pub objects: Vec<(u32, Vec<u8>)>,
    /// Something after the last object did not parse (or, for a template, followed it).
    pub malformed: bool,
}

impl DataObjects {
    /// No objects.
    pub fn new() -> DataObjects {
        DataObjects::default()
    }

    /// Appends an object.
    pub fn with(mut self, tag: u32, value: &[u8]) -> DataObjects {
        self.objects.push((tag, value.to_vec()));
        self
    }

    /// Appends an object when there is a value.
    pub fn with_opt(self, tag: u32, value: Option<&[u8]>) -> DataObjects {
        match value {
            Some(v) => self.with(tag, v),
            None => self,
        }
    }

    /// The objects, encoded one after the other.
    pub fn encode(&self) -> Vec<u8> {
        self.objects
            .iter()
            .flat_map(|(tag, value)| tlv::encode(*tag, value))
            .collect()
    }

    /// The objects in `bytes`, as far as they parse.
    pub fn parse(bytes: &[u8]) -> DataObjects {
        let mut out = DataObjects::new();
        for obj in Children::of(bytes) {
            match obj {
                Ok(o) => out.objects.push((o.tag, o.value.to_vec())),
                Err(_) => out.malformed = true,
            }
        }
        out
    }

    /// The value of the first object with `tag`.
    pub fn get(&self, tag: u32) -> Option<&[u8]> {
        self.objects
            .iter()
            .find(|(t, _)| *t == tag)
            .map(|(_, v)| v.as_slice())
    }

    /// True when an object has `tag`.
    pub fn has(&self, tag: u32) -> bool {
        self.get(tag).is_some()
    }

    /// The tags in order.
    pub fn tags(&self) -> Vec<u32> {
        self.objects.iter().map(|(t, _)| *t).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_round_trip_in_order() {
        let objs = DataObjects::new()
            .with(0x80, &[0x04, 0x00, 0x7F])
            .with(0x83, &[0x01])
            .with_opt(0x84, None)
            .with(0x7F49, &[0x86, 0x01, 0x04])
            .with(0x91, &[0xAA; 200]);
        let bytes = objs.encode();
        assert_eq!(bytes[..5], [0x80, 0x03, 0x04, 0x00, 0x7F]);
        assert_eq!(DataObjects::parse(&bytes), objs);
        assert_eq!(objs.tags(), [0x80, 0x83, 0x7F49, 0x91]);
        assert_eq!(objs.get(0x83), Some(&[0x01][..]));
        assert!(!objs.has(0x84));
    }

    #[test]
    fn what_does_not_parse_is_noted_after_what_does() {
        let objs = DataObjects::parse(&[0x83, 0x01, 0x01, 0x84, 0x05, 0x01]);
        assert_eq!(objs.tags(), [0x83]);
        assert!(objs.malformed);
        assert!(DataObjects::parse(&[0x00]).malformed);
        assert_eq!(DataObjects::parse(&[]), DataObjects::new());
    }
}
