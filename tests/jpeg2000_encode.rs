//! The lossless JPEG 2000 encoder (`biometrics::pixels::encode_lossless`, ISO/IEC 15444-1)
//! checked by an independent decoder: `hayro-jpeg2000` (through `decode_image`) must give back
//! exactly the input pixels of the finger fixtures and of synthetic images of awkward sizes.
//! The committed files in fixtures/jp2/encoded/ were also decoded exactly by OpenJPEG 2.5.0
//! (`fixtures/jp2/check_encoder.sh`); the test here ties them to today's encoder output.
//! Layer: biometrics.

use dactyl::biometrics::pixels::{
    Container, MAX_PIXELS, Pixels, Resolution, ResolutionUnit, decode_image, encode_lossless,
};
use std::path::Path;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(path),
    )
    .unwrap()
}

fn pixels(width: u32, height: u32, channels: u8, data: Vec<u8>) -> Pixels {
    Pixels {
        width,
        height,
        channels,
        data,
        resolution: None,
    }
}

/// A small deterministic generator (xorshift) for noise images.
fn noise(n: usize, seed: u32) -> Vec<u8> {
    let mut s = seed.max(1);
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s >> 24) as u8
        })
        .collect()
}

fn gradient(w: u32, h: u32, channels: u8) -> Vec<u8> {
    let mut v = Vec::new();
    for y in 0..h {
        for x in 0..w {
            for c in 0..u32::from(channels) {
                v.push(((x * 7 + y * 3 + c * 50) % 256) as u8);
            }
        }
    }
    v
}

/// Encodes both ways and checks hayro decodes each to exactly the input.
fn round_trip(px: &Pixels) -> Vec<u8> {
    let mut jp2 = Vec::new();
    for container in [Container::Jp2, Container::Codestream] {
        let bytes = encode_lossless(px, container).unwrap();
        let got = decode_image(&bytes).unwrap_or_else(|e| {
            panic!(
                "{}x{}x{} {container:?}: {e}",
                px.width, px.height, px.channels
            )
        });
        assert_eq!(
            (got.width, got.height, got.channels),
            (px.width, px.height, px.channels),
            "{container:?}"
        );
        let diff = got
            .data
            .iter()
            .zip(&px.data)
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(
            diff, 0,
            "{}x{}x{} {container:?}: {diff} samples differ",
            px.width, px.height, px.channels
        );
        if container == Container::Jp2 {
            jp2 = bytes;
        }
    }
    jp2
}

fn grey_fixture(path: &str) -> Pixels {
    let px = decode_image(&fixture(path)).unwrap();
    assert_eq!(px.channels, 1, "{path}");
    px
}

#[test]
fn finger_fixtures_decode_exactly() {
    for path in [
        "applicants/images/finger_d.png",
        "wsq/finger_a.png",
        "wsq/finger_b.png",
        "wsq/finger_c.png",
    ] {
        let px = grey_fixture(path);
        let bytes = round_trip(&px);
        // Lossless coding of a fingerprint must still compress well below 8 bits per pixel.
        let bpp = bytes.len() as f64 * 8.0 / (f64::from(px.width) * f64::from(px.height));
        assert!(bpp < 7.0, "{path}: {bpp} bits/pixel");
    }
}

#[test]
fn synthetic_sizes_and_contents_decode_exactly() {
    let sizes = [
        (1, 1),
        (1, 9),
        (9, 1),
        (2, 2),
        (7, 5),
        (64, 64),
        (65, 129),
        (300, 17),
        (130, 70),
    ];
    for (k, &(w, h)) in sizes.iter().enumerate() {
        let n = (w * h) as usize;
        round_trip(&pixels(w, h, 1, vec![0; n]));
        round_trip(&pixels(w, h, 1, vec![255; n]));
        round_trip(&pixels(w, h, 1, vec![77; n]));
        // Level-shifted to all zeros: no code-block is included, every packet is empty.
        round_trip(&pixels(w, h, 1, vec![128; n]));
        round_trip(&pixels(w, h, 1, gradient(w, h, 1)));
        round_trip(&pixels(w, h, 1, noise(n, 1 + k as u32)));
    }
}

#[test]
fn extremes_decode_exactly() {
    // Checkerboard of 0 and 255: the largest wavelet coefficients an 8-bit image can give.
    let (w, h) = (67u32, 45u32);
    let board: Vec<u8> = (0..w * h)
        .map(|i| if (i % w + i / w) % 2 == 0 { 0 } else { 255 })
        .collect();
    round_trip(&pixels(w, h, 1, board));
    let stripes: Vec<u8> = (0..w * h)
        .map(|i| if i % 2 == 0 { 0 } else { 255 })
        .collect();
    round_trip(&pixels(w, h, 1, stripes));
}

#[test]
fn rgb_decodes_exactly() {
    for &(w, h) in &[(1u32, 1u32), (7, 5), (65, 129), (120, 90)] {
        let n = (w * h * 3) as usize;
        round_trip(&pixels(w, h, 3, gradient(w, h, 3)));
        round_trip(&pixels(w, h, 3, noise(n, w * 31 + h)));
        let extremes: Vec<u8> = (0..n)
            .map(|i| if (i / 3 + i % 3) % 2 == 0 { 0 } else { 255 })
            .collect();
        round_trip(&pixels(w, h, 3, extremes));
    }
}

#[test]
fn resolution_goes_into_the_resc_box() {
    let mut px = grey_fixture("applicants/images/finger_d.png");
    px.resolution = Some(Resolution {
        horizontal: 500,
        vertical: 508,
        unit: ResolutionUnit::PerInch,
    });
    let got = decode_image(&encode_lossless(&px, Container::Jp2).unwrap()).unwrap();
    let r = got.resolution.expect("resolution from the res box");
    let (h, v) = r.ppi();
    assert!(
        (h - 500.0).abs() < 0.01 && (v - 508.0).abs() < 0.01,
        "{h} {v}"
    );
    // A codestream has no boxes, so no resolution.
    let cs = encode_lossless(&px, Container::Codestream).unwrap();
    assert_eq!(decode_image(&cs).unwrap().resolution, None);
}

#[test]
fn output_is_deterministic() {
    let px = pixels(65, 129, 1, noise(65 * 129, 9));
    assert_eq!(
        encode_lossless(&px, Container::Jp2).unwrap(),
        encode_lossless(&px, Container::Jp2).unwrap()
    );
}

#[test]
fn refuses_what_it_cannot_encode() {
    let cases = [
        pixels(0, 5, 1, vec![]),
        pixels(5, 0, 1, vec![]),
        pixels(2, 2, 2, vec![0; 8]),
        pixels(2, 2, 4, vec![0; 16]),
        pixels(2, 2, 1, vec![0; 3]),
        pixels(2, 2, 3, vec![0; 4]),
        pixels(u32::MAX, u32::MAX, 1, vec![]),
        pixels((MAX_PIXELS + 1) as u32, 1, 1, vec![]),
    ];
    for px in &cases {
        for container in [Container::Jp2, Container::Codestream] {
            let e = encode_lossless(px, container).unwrap_err().to_string();
            assert!(e.contains("JPEG 2000 encoder"), "{e}");
        }
    }
}

/// The committed files that `fixtures/jp2/check_encoder.sh` had OpenJPEG 2.5.0 decode
/// exactly: today's encoder must write the same bytes (so that check still holds), and hayro
/// must decode them to the inputs. Names and inputs as in the script's list.
#[test]
fn committed_encodings_are_reproduced_and_decode_exactly() {
    let synthetic = |kind: &str, w: u32, h: u32, c: u8, seed: u32| {
        let n = (w * h * u32::from(c)) as usize;
        let data = if kind == "noise" {
            noise(n, seed)
        } else {
            gradient(w, h, c)
        };
        pixels(w, h, c, data)
    };
    let cases = [
        (
            "finger_d.jp2",
            grey_fixture("applicants/images/finger_d.png"),
        ),
        (
            "finger_d.j2k",
            grey_fixture("applicants/images/finger_d.png"),
        ),
        ("finger_a.jp2", grey_fixture("wsq/finger_a.png")),
        ("finger_b.jp2", grey_fixture("wsq/finger_b.png")),
        ("finger_c.jp2", grey_fixture("wsq/finger_c.png")),
        ("grey_1x1.jp2", synthetic("noise", 1, 1, 1, 1)),
        ("grey_1x9.jp2", synthetic("noise", 1, 9, 1, 2)),
        ("grey_9x1.jp2", synthetic("noise", 9, 1, 1, 3)),
        ("grey_7x5.jp2", synthetic("noise", 7, 5, 1, 4)),
        ("grey_64x64.jp2", synthetic("gradient", 64, 64, 1, 0)),
        ("grey_65x129.jp2", synthetic("noise", 65, 129, 1, 5)),
        ("grey_300x17.jp2", synthetic("noise", 300, 17, 1, 6)),
        ("rgb_65x129.jp2", synthetic("noise", 65, 129, 3, 7)),
        ("rgb_120x90.jp2", synthetic("gradient", 120, 90, 3, 0)),
    ];
    for (name, px) in &cases {
        let committed = fixture(&format!("jp2/encoded/{name}"));
        let container = if name.ends_with(".j2k") {
            Container::Codestream
        } else {
            Container::Jp2
        };
        let ours = encode_lossless(px, container).unwrap();
        assert!(
            ours == committed,
            "{name}: the encoder no longer writes the checked bytes"
        );
        let got = decode_image(&committed).unwrap();
        assert_eq!(
            (got.width, got.height, got.channels),
            (px.width, px.height, px.channels)
        );
        assert!(
            got.data == px.data,
            "{name}: hayro does not give back the input"
        );
    }
}

/// The main header fields, read back from the committed 620x620 finger's codestream.
#[test]
fn header_fields_are_as_intended() {
    let jp2 = fixture("jp2/encoded/finger_a.jp2");
    // Signature and file type boxes.
    assert_eq!(&jp2[..12], b"\0\0\0\x0cjP  \r\n\x87\n");
    assert_eq!(&jp2[16..28], b"ftypjp2 \0\0\0\0");
    // Greyscale by enumerated colourspace 17.
    assert!(jp2.windows(11).any(|w| w == b"colr\x01\0\0\0\0\0\x11"));
    let cs_at = jp2.windows(4).position(|w| w == b"jp2c").unwrap() + 4;
    let cs = &jp2[cs_at..];
    assert_eq!(&cs[..4], [0xFF, 0x4F, 0xFF, 0x51]);
    let u32_at = |i: usize| u32::from_be_bytes(cs[i..i + 4].try_into().unwrap());
    assert_eq!((u32_at(8), u32_at(12)), (620, 620)); // Xsiz, Ysiz
    assert_eq!(&cs[40..46], [0, 1, 7, 1, 1, 0xFF]); // 1 component, 8-bit unsigned, 1x1
    // COD: LRCP, 1 layer, no MCT, 5 levels, 64x64 blocks, no style, 5/3.
    assert_eq!(
        &cs[45..59],
        [0xFF, 0x52, 0, 12, 0, 0, 0, 1, 0, 5, 4, 4, 0, 1]
    );
    // QCD: 2 guard bits, no quantization, exponents 8 (LL), 9, 9, 10 per level.
    assert_eq!(&cs[59..65], [0xFF, 0x5C, 0, 19, 0x40, 8 << 3]);
    assert_eq!(&cs[65..68], [9 << 3, 9 << 3, 10 << 3]);
    assert_eq!(&cs[cs.len() - 2..], [0xFF, 0xD9]);
}
