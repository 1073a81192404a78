//! The CBEFF container of DG2/DG3 for both generations of biometric records (ICAO Doc 9303-10
//! clause 4.7.2.1): ISO/IEC 19794 records in a primitive `5F2E`, ISO/IEC 39794 data blocks in a
//! constructed `7F2E` around `A1 { [APPLICATION n] ... }`, with format types 0028 (finger
//! image) and 002A (face). Checked on ICAO's two "silver" 39794-5 DG2 files.

use dactyl::lds::biometric_group::{
    BiometricData, BiometricGroup, FORMAT_OWNER_SC37, FORMAT_TYPE_FACE_IMAGE_39794,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/biometrics/iso39794")
            .join(name),
    )
    .unwrap()
}

#[test]
fn the_silver_dg2_files_hold_a_39794_5_block_in_a_constructed_7f2e() {
    for name in [
        "ICAO_39794_5_AP_DG2_AllFields.dat",
        "ICAO_39794_5_AP_DG2_MandFields.dat",
    ] {
        let bytes = fixture(name);
        let group = BiometricGroup::parse(&bytes).unwrap();
        assert_eq!(group.records.len(), 1, "{name}");
        let rec = &group.records[0];
        assert_eq!(rec.header.format_owner, Some(FORMAT_OWNER_SC37), "{name}");
        assert_eq!(
            rec.header.format_type,
            Some(FORMAT_TYPE_FACE_IMAGE_39794),
            "{name}"
        );
        assert!(
            matches!(rec.data, BiometricData::Extensible(_)),
            "{name}: {:?}",
            rec.data
        );
        let block = rec.data.block().unwrap();
        // [APPLICATION 5] constructed: the face image data block.
        assert_eq!(block[0], 0x65, "{name}");
        assert_eq!(group.encode(), bytes, "{name}: re-encodes byte for byte");
        // Built from the block alone, the same data block.
        assert_eq!(BiometricData::extensible(block), rec.data, "{name}");
    }
}

#[test]
fn a_7f2e_that_is_no_39794_block_stays_enciphered_data() {
    for value in [
        &[0x01, 0x02, 0x03][..],
        &[0xA1, 0x02, 0x04, 0x00],
        &[0xA1, 0x00],
    ] {
        let data = {
            // 7F60 { A1 { 81 01 08 } 7F2E { value } } inside 7F61 { 02 01 01 ... } inside 63.
            let mut bit = dactyl::tlv::encode(0xA1, &[0x81, 0x01, 0x08]);
            bit.extend(dactyl::tlv::encode(0x7F2E, value));
            let mut group = dactyl::tlv::encode(0x02, &[1]);
            group.extend(dactyl::tlv::encode(0x7F60, &bit));
            dactyl::tlv::encode(0x63, &dactyl::tlv::encode(0x7F61, &group))
        };
        let g = BiometricGroup::parse(&data).unwrap();
        assert_eq!(
            g.records[0].data,
            BiometricData::Enciphered(value.to_vec()),
            "{value:02X?}"
        );
        assert_eq!(g.encode(), data);
    }
}
