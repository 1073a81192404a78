//! `dactyl inspect` decodes every face and finger image and compares what the image file
//! states (size, resolution, format) with its record: the BSI reference DG2/DG3, ICAO's
//! 39794-5 silver DG2, and finger records built around the SourceAFIS WSQ sample (which states
//! 500 ppi in its NIST comment). Layer: lds, biometrics.

use dactyl::biometrics::finger_image::{
    FingerImage, FingerImageRecord, FingerImageView, PIXELS_PER_CM,
};
use dactyl::biometrics::{Compression, FingerPosition};
use dactyl::lds::dg3::Dg3;
use dactyl::lds::inspect::{Description, describe};
use serde_json::Value;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A DG3 of one view of `image` whose record states `resolution` in `units`.
fn dg3_around(image: Vec<u8>, size: (u16, u16), units: u8, resolution: u16) -> Vec<u8> {
    let view = FingerImageView::new(FingerPosition(1), size.0, size.1, image);
    let mut rec = FingerImageRecord::new(Compression::Wsq, vec![view]);
    rec.scale_units = units;
    rec.image_resolution_h = resolution;
    rec.image_resolution_v = resolution;
    Dg3::from_images(vec![FingerImage::Iso2005(rec)])
        .unwrap()
        .encode()
        .unwrap()
}

fn image_file(d: &Description) -> &Value {
    &d.details["fingers"][0]["image"]["views"][0]["image_file"]
}

#[test]
fn a_finger_image_whose_record_agrees_gives_its_size_and_resolution_and_no_warning() {
    let d = describe(&dg3_around(
        fixture("applicants/images/finger_c.wsq"),
        (832, 768),
        1,
        500,
    ))
    .unwrap();
    let f = image_file(&d);
    assert_eq!(f["decodes"], true);
    assert_eq!(
        (f["width"].as_u64(), f["height"].as_u64()),
        (Some(832), Some(768))
    );
    assert_eq!(f["resolution_ppi"], serde_json::json!([500.0, 500.0]));
    assert_eq!(f["resolution_unit"], "pixels per inch");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    // 197 pixels per centimetre is 500.4 ppi: within the tolerance, no warning.
    let ppcm = describe(&dg3_around(
        fixture("applicants/images/finger_c.wsq"),
        (832, 768),
        PIXELS_PER_CM,
        197,
    ))
    .unwrap();
    assert!(ppcm.warnings.is_empty(), "{:?}", ppcm.warnings);
}

#[test]
fn a_record_that_disagrees_with_its_image_is_named_in_the_warnings() {
    let d = describe(&dg3_around(
        fixture("applicants/images/finger_c.wsq"),
        (800, 768),
        1,
        1000,
    ))
    .unwrap();
    let all = d.warnings.join(" | ");
    assert!(
        all.contains(
            "DG3 record 1: finger image 1 (right thumb): the image is 832x768 pixels, \
             the record says 800x768"
        ),
        "{all}"
    );
    assert!(
        all.contains("the image states 500x500 ppi, the record says 1000x1000 ppi"),
        "{all}"
    );
    assert!(
        d.to_text().contains("warning: DG3 record 1"),
        "{}",
        d.to_text()
    );
}

#[test]
fn an_image_that_does_not_decode_is_reported_and_the_rest_still_described() {
    let mut wsq = fixture("applicants/images/finger_a.wsq");
    wsq.truncate(wsq.len() / 2);
    let d = describe(&dg3_around(wsq, (620, 620), 1, 500)).unwrap();
    let f = image_file(&d);
    assert_eq!(f["decodes"], false);
    assert_eq!(f["format"], "WSQ");
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("the image does not decode:") && w.contains("WSQ: ")),
        "{:?}",
        d.warnings
    );
    assert_eq!(d.details["fingers"][0]["image"]["views"][0]["width"], 620);
}

#[test]
fn face_images_are_decoded_with_their_own_resolution() {
    let d = describe(&fixture("chips/bsi_passport/Datagroup2.bin")).unwrap();
    let f = &d.details["faces"][0]["image_file"];
    assert_eq!(f["decodes"], true);
    assert_eq!(f["format"], "JPEG 2000");
    assert_eq!(
        (f["width"].as_u64(), f["height"].as_u64()),
        (Some(413), Some(531))
    );
    assert_eq!(f["channels"], 3);
    // The JP2 `res ` box: pixels per metre, 300 ppi.
    assert_eq!(f["resolution_ppi"], serde_json::json!([300.0, 300.0]));
}

#[test]
fn a_39794_face_block_whose_image_size_disagrees_is_warned_about() {
    // ICAO's "all fields" silver DG2 gives an image size block of 572x731 around a 413x531
    // JPEG 2000 image; the "mandatory fields" file gives no size.
    let all = describe(&fixture(
        "biometrics/iso39794/ICAO_39794_5_AP_DG2_AllFields.dat",
    ))
    .unwrap();
    let files = &all.details["faces_39794"][0]["image_files"];
    assert_eq!(files[0]["decodes"], true);
    assert!(
        all.warnings.iter().any(|w| w
            == "DG2 face 0 representation 0: the image is 413x531 pixels, the record says 572x731"),
        "{:?}",
        all.warnings
    );
    let mand = describe(&fixture(
        "biometrics/iso39794/ICAO_39794_5_AP_DG2_MandFields.dat",
    ))
    .unwrap();
    assert_eq!(
        mand.details["faces_39794"][0]["image_files"][0]["decodes"],
        true
    );
    assert!(
        !mand.warnings.iter().any(|w| w.contains("the record says")),
        "{:?}",
        mand.warnings
    );
}
