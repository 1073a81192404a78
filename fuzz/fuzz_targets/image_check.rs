//! A record's image against what the record declares (`biometrics::image_check::check`, and
//! `pixels::decode_view` under it: raw, bit-packed and PGM samples, or any sniffed format).
//! The first byte picks the declared compression, the next four the declared width and height
//! (little-endian, each up to 65,535), the sixth whether a size and a resolution are declared
//! (then two more bytes give the ppi); the rest is the image. No panic; an image that decodes
//! is not empty, holds width x height x channels samples, and a raw image (no header) has the
//! declared size.
#![no_main]

use dactyl::biometrics::Compression;
use dactyl::biometrics::image_check::{Declared, check};
use dactyl::biometrics::pixels::decode_view;
use libfuzzer_sys::fuzz_target;

fn compression(b: u8) -> Compression {
    match b % 10 {
        0 => Compression::Uncompressed,
        1 => Compression::BitPacked,
        2 => Compression::Wsq,
        3 => Compression::Jpeg,
        4 => Compression::Jpeg2000,
        5 => Compression::Jpeg2000Lossy,
        6 => Compression::Jpeg2000Lossless,
        7 => Compression::Png,
        _ => Compression::Unknown(b),
    }
}

fuzz_target!(|data: &[u8]| {
    let [c, w0, w1, h0, h1, flags, rest @ ..] = data else {
        return;
    };
    let compression = compression(*c);
    let width = u32::from(u16::from_le_bytes([*w0, *w1]));
    let height = u32::from(u16::from_le_bytes([*h0, *h1]));
    let (ppi, image) = match rest {
        [p0, p1, image @ ..] if flags & 2 != 0 => {
            let p = f64::from(u16::from_le_bytes([*p0, *p1]));
            (Some((p, p)), image)
        }
        _ => (None, rest),
    };
    let declared = Declared {
        compression: Some(compression),
        size: (flags & 1 != 0).then_some((width, height)),
        ppi,
    };
    let facts = check(image, &declared);
    if facts.decodes {
        assert!(facts.width.is_some() && facts.height.is_some() && facts.channels.is_some());
    } else {
        assert!(
            !facts.warnings.is_empty(),
            "an image that does not decode says why"
        );
    }
    if let Ok(px) = decode_view(image, compression, width, height) {
        assert!(
            px.width > 0 && px.height > 0,
            "an empty image does not decode"
        );
        let area = px.width as usize * px.height as usize;
        assert_eq!(px.data.len(), area * usize::from(px.channels));
        let headerless = Compression::sniff(image).is_none() && !image.starts_with(b"P5");
        if headerless {
            assert_eq!(
                (px.width, px.height),
                (width, height),
                "raw keeps the record's size"
            );
        }
    }
});
