//! BER-TLV parsing: headers, objects and a recursive walk of every value as children, to depth 8.
#![no_main]

use dactyl::tlv::{Children, Tlv, parse_header};
use libfuzzer_sys::fuzz_target;

fn walk(bytes: &[u8], depth: usize) {
    for child in Children::of(bytes) {
        let Ok(child) = child else { break };
        let _ = child.is_constructed();
        if depth < 8 {
            walk(child.value, depth + 1);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = parse_header(data) {
        assert!(h.header_len <= data.len());
    }
    if let Ok((t, rest)) = Tlv::parse(data) {
        assert_eq!(t.raw.len() + rest.len(), data.len());
        let _ = t.require(0x5F1F);
    }
    let _ = Tlv::parse_exact(data);
    walk(data, 0);
});
