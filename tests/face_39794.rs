//! ISO/IEC 39794-5 face image data blocks (ICAO eMRTD profile) in DG2: ICAO's silver DG2
//! files, the LGPL sample (when ../shared is present), extension forms, unknown elements,
//! conversion to and from ISO/IEC 19794-5, mixed DG2 and inspect. Layer: lds, biometrics.

use dactyl::biometrics::face::{FaceImage, FaceRecord};
use dactyl::biometrics::face_39794::identity::{Coordinates, LandmarkKind};
use dactyl::biometrics::face_39794::image::FORMAT_JPEG2000_LOSSY;
use dactyl::biometrics::face_39794::{Enumerated, FaceImageBlock, convert};
use dactyl::lds::dg2::Dg2;

const ALL: &[u8] =
    include_bytes!("../fixtures/biometrics/iso39794/ICAO_39794_5_AP_DG2_AllFields.dat");
const MAND: &[u8] =
    include_bytes!("../fixtures/biometrics/iso39794/ICAO_39794_5_AP_DG2_MandFields.dat");
const FACE_JP2: &[u8] = include_bytes!("../fixtures/applicants/images/face.jp2");

// Values read from the files with `openssl asn1parse -inform DER -i` and xxd.
const IMAGE_LEN: usize = 15000;
const IMAGE_START: [u8; 8] = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20];

fn block_of(dg2: &[u8]) -> FaceImageBlock {
    let d = Dg2::parse(dg2).unwrap();
    assert!(d.faces.is_empty());
    assert_eq!(d.blocks.len(), 1);
    d.blocks[0].1.clone()
}

#[test]
fn all_fields_silver_file_decodes_to_its_values_and_re_encodes() {
    let b = block_of(ALL);
    assert_eq!((b.version.generation, b.version.year), (3, 2019));
    assert_eq!(b.representations.len(), 1);
    let r = &b.representations[0];
    assert_eq!(r.id, 0);
    let img = r.image_2d().unwrap();
    assert_eq!(img.data.len(), IMAGE_LEN);
    assert_eq!(img.data[..8], IMAGE_START);
    assert_eq!(img.info.format.code(), Some(FORMAT_JPEG2000_LOSSY));
    assert_eq!(img.info.extension(), "jp2");
    assert_eq!(img.info.kind, Some(Enumerated::fallback(0)));
    assert_eq!(img.info.camera_to_subject_distance, Some(3000));
    assert_eq!(img.info.sensor_diagonal, Some(43));
    assert_eq!(img.info.lens_focal_length, Some(55));
    let size = img.info.size.as_ref().unwrap();
    assert_eq!((size.width, size.height), (572, 731));
    let m = img.info.face_measurements.as_ref().unwrap();
    assert_eq!((m.head_width, m.inter_eye_distance), (Some(300), Some(150)));
    assert_eq!(img.info.colour_space, Some(Enumerated::fallback(2)));
    assert_eq!(img.info.post_processing.as_ref().unwrap().values.len(), 12);
    let t = r.capture_time.as_ref().unwrap();
    assert_eq!((t.year, t.month, t.day), (2024, Some(1), Some(20)));
    let q = &r.quality.as_ref().unwrap()[0];
    assert_eq!((q.algorithm.organization, q.algorithm.id), (1, 1));
    assert_eq!(
        q.score,
        dactyl::biometrics::iso39794_1::ScoreOrError::Score(99)
    );
    let pad = r.pad.as_ref().unwrap();
    assert!(pad.challenges.is_some() && pad.capture_time.is_some());
    let id = r.identity.as_ref().unwrap();
    assert!(id.pose.as_ref().unwrap().roll.is_some());
    assert_eq!(
        id.expression
            .as_ref()
            .unwrap()
            .values
            .iter()
            .flatten()
            .count(),
        6
    );
    let lm = &r.landmarks.as_ref().unwrap()[0];
    assert_eq!(lm.kind, LandmarkKind::Mpeg4(Enumerated::fallback(10)));
    assert_eq!(lm.coordinates, Some(Coordinates::Cartesian2D(90, 22)));
    let pose = id.pose.as_ref().unwrap();
    let yaw = pose.yaw.as_ref().unwrap();
    assert_eq!((yaw.value, yaw.uncertainty), (2, Some(1)));
    let roll = pose.roll.as_ref().unwrap();
    assert_eq!((roll.value, roll.uncertainty), (1, Some(2)));
    assert_eq!(id.gender, Some(Enumerated::fallback(3)));
    assert_eq!(id.eye_colour, Some(Enumerated::fallback(3)));
    assert_eq!(id.hair_colour, Some(Enumerated::fallback(5)));
    assert_eq!(id.subject_height, Some(1786));
    let dev = r.capture_device.as_ref().unwrap();
    let model = dev.model.as_ref().unwrap();
    assert_eq!((model.organization, model.id), (1, 1));
    let cert = &dev.certifications.as_ref().unwrap()[0];
    assert_eq!((cert.organization, cert.id), (2, 2));
    let dev2d = img.capture_device.as_ref().unwrap();
    assert_eq!(dev2d.technology, Some(Enumerated::fallback(2)));
    assert_eq!(
        dev2d.spectral.as_ref().unwrap().values,
        vec![Some(false); 3]
    );
    assert!(b.extra.is_empty() && r.extra.is_empty());
    // DER in, the same DER out: from the typed value, not only the kept bytes.
    let d = Dg2::parse(ALL).unwrap();
    let raw = d.group.records[0].data.block().unwrap();
    assert_eq!(b.to_der(), raw);
    assert_eq!(d.encode().unwrap(), ALL);
}

#[test]
fn mandatory_fields_silver_file_decodes_and_re_encodes() {
    let b = block_of(MAND);
    let r = &b.representations[0];
    let img = r.image_2d().unwrap();
    assert_eq!(img.data.len(), IMAGE_LEN);
    assert_eq!(img.info.format.code(), Some(FORMAT_JPEG2000_LOSSY));
    assert!(r.capture_time.is_none() && r.identity.is_none() && img.info.size.is_none());
    let d = Dg2::parse(MAND).unwrap();
    assert_eq!(b.to_der(), d.group.records[0].data.block().unwrap());
    assert_eq!(d.encode().unwrap(), MAND);
}

#[test]
fn lgpl_sample_decodes_when_shared_is_present() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/data/iso39794/sample-39794-5-ed-1-v1.der");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} absent", path.display());
        return;
    };
    let b = FaceImageBlock::parse(&bytes).unwrap();
    assert!(b.representations[0].image_2d().is_some());
    assert_eq!(b.encode(), bytes);
    assert_eq!(b.to_der(), bytes);
}

/// A block whose image format is in the extension-block form, with an unknown trailing
/// element in the representation and at the end of the block.
fn block_with_extensions() -> Vec<u8> {
    let mut b = block_of(MAND);
    b.clear_source();
    let img = match &mut b.representations[0].image {
        dactyl::biometrics::face_39794::ImageRepresentation::TwoD(i) => i,
        _ => unreachable!(),
    };
    img.info.format = Enumerated::Extension {
        fallback: None,
        extra: vec![],
    };
    b.representations[0]
        .extra
        .push(vec![0x9F, 0x20, 0x02, 0xAB, 0xCD]);
    b.extra.push(vec![0xBF, 0x21, 0x03, 0x80, 0x01, 0x07]);
    b.to_der()
}

#[test]
fn extension_forms_and_unknown_elements_round_trip() {
    let der = block_with_extensions();
    let b = FaceImageBlock::parse(&der).unwrap();
    let w = b.warnings();
    assert!(w.iter().any(|m| m.contains("not JPEG")), "{w:?}");
    assert!(w.iter().any(|m| m.contains("unknown elements")), "{w:?}");
    assert!(block_of(MAND).warnings().is_empty());
    assert_eq!(
        b.representations[0].image_2d().unwrap().info.format,
        Enumerated::Extension {
            fallback: None,
            extra: vec![]
        }
    );
    assert_eq!(
        b.representations[0].extra,
        vec![vec![0x9F, 0x20, 0x02, 0xAB, 0xCD]]
    );
    assert_eq!(b.extra, vec![vec![0xBF, 0x21, 0x03, 0x80, 0x01, 0x07]]);
    assert_eq!(b.to_der(), der);
    // The code form of an enumeration that the profile writes as an extension block.
    let mut c = b.clone();
    c.representations[0].identity =
        Some(dactyl::biometrics::face_39794::identity::IdentityMetadata {
            gender: Some(Enumerated::Code(3)),
            eye_colour: Some(Enumerated::fallback(4)),
            ..Default::default()
        });
    let der2 = c.to_der();
    let back = FaceImageBlock::parse(&der2).unwrap();
    let id = back.representations[0].identity.as_ref().unwrap();
    assert_eq!(id.gender, Some(Enumerated::Code(3)));
    assert_eq!(id.eye_colour.as_ref().and_then(Enumerated::code), Some(4));
    assert_eq!(back.to_der(), der2);
}

#[test]
fn ber_long_length_forms_re_encode_byte_for_byte() {
    // The version block [0] with a non-minimal length (81 07) instead of 07.
    let der = FaceImageBlock::parse(&block_of(MAND).to_der())
        .unwrap()
        .to_der();
    let pos = der
        .windows(3)
        .position(|w| w == [0xA0, 0x07, 0x80])
        .unwrap();
    let mut ber = der[..pos + 1].to_vec();
    ber.push(0x81);
    ber.extend_from_slice(&der[pos + 1..]);
    // Fix the outer length (65 82 hi lo): one more byte.
    let len = u16::from_be_bytes([ber[2], ber[3]]) + 1;
    ber[2..4].copy_from_slice(&len.to_be_bytes());
    let b = FaceImageBlock::parse(&ber).unwrap();
    assert_eq!(b, FaceImageBlock::parse(&der).unwrap());
    assert_eq!(b.encode(), ber);
    assert_eq!(b.to_der(), der);
}

#[test]
fn conversion_19794_to_39794_and_back_keeps_image_size_and_pose() {
    let mut face = FaceImage::from_image(FACE_JP2.to_vec()).unwrap();
    face.pose_angles = [3, 90, 100];
    face.pose_uncertainty = [2, 0, 5];
    face.source_type = 2;
    face.quality = 5;
    let (block, lost) = convert::from_19794(&face);
    assert_eq!(lost.len(), 2, "{lost:?}");
    assert!(lost[0].starts_with("pose bytes [3, 90, 100]"), "{lost:?}");
    assert_eq!(lost[1], "quality 5");
    let der = block.to_der();
    let parsed = FaceImageBlock::parse(&der).unwrap();
    let pose = parsed.representations[0]
        .identity
        .as_ref()
        .unwrap()
        .pose
        .as_ref()
        .unwrap();
    assert_eq!(pose.yaw.as_ref().unwrap().value, 4);
    assert_eq!(pose.roll.as_ref().unwrap().value, -162);
    let (back, _lost) = convert::to_19794(&parsed).unwrap();
    assert_eq!(back.image, face.image);
    assert_eq!((back.width, back.height), (face.width, face.height));
    assert_eq!(back.image_data_type, face.image_data_type);
    assert_eq!(back.pose_angles, face.pose_angles);
    assert_eq!(back.pose_uncertainty, face.pose_uncertainty);
    assert_eq!(back.source_type, face.source_type);
    let (all, lost) = convert::to_19794(&block_of(ALL)).unwrap();
    assert_eq!((all.width, all.height, all.gender), (572, 731, 2));
    assert!(
        lost.iter().any(|m| m.contains("quality, PAD and landmark")),
        "{lost:?}"
    );
}

#[test]
fn dg2_with_one_19794_and_one_39794_record_parses_re_encodes_and_inspects() {
    let face = FaceImage::from_image(FACE_JP2.to_vec()).unwrap();
    let old = Dg2::from_faces(vec![FaceRecord { images: vec![face] }]).unwrap();
    let new = Dg2::from_blocks(vec![block_of(MAND)]);
    let h = &new.group.records[0].header;
    assert_eq!(
        (h.biometric_type, h.format_owner, h.format_type),
        (Some(2), Some(0x0101), Some(0x002A))
    );
    assert_eq!(
        Dg2::parse(&new.encode().unwrap()).unwrap().blocks[0]
            .1
            .to_der(),
        block_of(MAND).to_der()
    );
    let mut mixed = old.clone();
    mixed.group.records.push(new.group.records[0].clone());
    mixed.blocks.push((1, new.blocks[0].1.clone()));
    let bytes = mixed.encode().unwrap();
    let d = Dg2::parse(&bytes).unwrap();
    assert_eq!((d.faces.len(), d.blocks.len()), (1, 1));
    assert_eq!(d.blocks[0].0, 1);
    assert_eq!(d.encode().unwrap(), bytes);
    let images = d.images();
    assert_eq!(images.len(), 2);
    assert_eq!(images[1].data.len(), IMAGE_LEN);
    assert_eq!(images[1].extension, "jp2");
    let desc = dactyl::lds::inspect::describe(&bytes).unwrap();
    let json = serde_json::to_value(&desc).unwrap().to_string();
    assert!(json.contains("faces_39794"), "{json}");
    assert!(
        json.contains("\"width\":413") || json.contains("\"width\": 413"),
        "{json}"
    );
    assert!(json.contains("\"faces\""), "{json}");
    let text = desc.to_text();
    assert!(
        text.contains("faces 39794") && text.contains("representations"),
        "{text}"
    );
}

#[test]
fn truncated_and_corrupt_blocks_are_errors_not_panics() {
    let raw = Dg2::parse(ALL).unwrap().group.records[0]
        .data
        .block()
        .unwrap()
        .to_vec();
    for cut in [0, 1, 4, 20, 100, raw.len() - 1] {
        assert!(FaceImageBlock::parse(&raw[..cut]).is_err(), "cut {cut}");
    }
    for i in (0..raw.len()).step_by(97) {
        let mut b = raw.clone();
        b[i] ^= 0xFF;
        let _ = FaceImageBlock::parse(&b);
    }
}
