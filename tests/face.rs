//! DG2 and ISO/IEC 19794-5 facial records against the BSI reference DG2 (a file dactyl did not
//! write): parsed field by field, re-encoded byte for byte, rebuilt around its image; JPEG
//! sizes from an encoder's output; truncated and garbled records refused.

use dactyl::biometrics::face::{FaceImage, FaceImageData, FaceRecord, image_dimensions};
use dactyl::lds::dg2::Dg2;
use std::path::Path;

fn bsi_dg2() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chips/bsi_passport/Datagroup2.bin"),
    )
    .unwrap()
}

#[test]
fn the_bsi_reference_dg2_parses_and_re_encodes_byte_for_byte() {
    let bytes = bsi_dg2();
    let dg2 = Dg2::parse(&bytes).unwrap();
    assert_eq!(dg2.faces.len(), 1);
    let face = &dg2.faces[0].images[0];
    assert_eq!(face.image_data_type, FaceImageData::Jpeg2000);
    assert_eq!((face.width, face.height), (337, 449));
    assert_eq!(face.face_image_type, 1);
    assert!(face.feature_points.is_empty());
    // The record's header disagrees with the JP2's own ihdr box and codestream (413 x 531):
    // a real-document quirk, reported, not fatal.
    assert_eq!(
        image_dimensions(&face.image).unwrap(),
        (FaceImageData::Jpeg2000, 413, 531)
    );
    let warnings = face.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("337 x 449") && warnings[0].contains("413 x 531"));
    assert_eq!(dg2.encode().unwrap(), bytes);
}

#[test]
fn a_dg2_built_around_an_image_reads_back() {
    let dg2 = Dg2::parse(&bsi_dg2()).unwrap();
    let jp2 = dg2.faces[0].images[0].image.clone();
    let built = Dg2::from_faces(vec![FaceRecord {
        images: vec![FaceImage::from_image(jp2.clone()).unwrap()],
    }])
    .unwrap();
    let bytes = built.encode().unwrap();
    // Same CBEFF header as the reference.
    assert_eq!(bytes[4..24], bsi_dg2()[4..24]);
    let back = Dg2::parse(&bytes).unwrap();
    let face = &back.faces[0].images[0];
    // Built from the image, the header tells the truth.
    assert_eq!((face.width, face.height), (413, 531));
    assert!(face.warnings().is_empty());
    assert_eq!(face.image, jp2);
    assert_eq!(back.encode().unwrap(), bytes);
}

#[test]
fn jpeg_sizes_come_from_the_frame_header() {
    let pixels = vec![128u8; 40 * 30];
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 80)
        .encode(&pixels, 40, 30, jpeg_encoder::ColorType::Luma)
        .unwrap();
    let face = FaceImage::from_image(jpeg).unwrap();
    assert_eq!(face.image_data_type, FaceImageData::Jpeg);
    assert_eq!((face.width, face.height), (40, 30));
    assert!(FaceImage::from_image(b"GIF89a".to_vec()).is_err());
    assert!(FaceImage::from_image(vec![0xFF, 0xD8, 0xFF]).is_err());
}

#[test]
fn truncated_or_garbled_records_are_errors_not_panics() {
    let dg2 = Dg2::parse(&bsi_dg2()).unwrap();
    let record = dg2.faces[0].encode().unwrap();
    for cut in (0..record.len())
        .step_by(97)
        .chain([13, 14, 33, 34, 45, 46])
    {
        assert!(FaceRecord::parse(&record[..cut]).is_err(), "cut at {cut}");
    }
    let mut bad_version = record.clone();
    bad_version[4..8].copy_from_slice(b"030\0");
    assert!(
        FaceRecord::parse(&bad_version)
            .unwrap_err()
            .to_string()
            .contains("version")
    );
    let mut short_block = record.clone();
    short_block[14..18].copy_from_slice(&[0, 0, 0, 10]);
    assert!(FaceRecord::parse(&short_block).is_err());
    let mut many_points = record.clone();
    many_points[18..20].copy_from_slice(&[0xFF, 0xFF]);
    assert!(FaceRecord::parse(&many_points).is_err());
    for garbage in [
        vec![],
        vec![0x75],
        vec![0x75, 0x82, 0xFF, 0xFF],
        [&b"FAC\0"[..], &b"010\0"[..]].concat(),
    ] {
        assert!(Dg2::parse(&garbage).is_err());
        assert!(FaceRecord::parse(&garbage).is_err());
        let _ = image_dimensions(&garbage);
    }
}
