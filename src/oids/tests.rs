//! Tests of `oids`.
use super::*;
use crate::crypto::ec::Curve;
use crate::crypto::kdf::KeyKind;
use Cipher::*;
use KeyAgreement::*;
use PaceMapping::*;
use num_bigint::BigUint;

fn o(s: &str) -> ObjectIdentifier {
    ObjectIdentifier::new(s).unwrap()
}

fn pace(agreement: KeyAgreement, mapping: PaceMapping, cipher: Cipher) -> PaceProtocol {
    PaceProtocol {
        agreement,
        mapping,
        cipher,
    }
}

#[test]
fn vectors_pace_oids_map_to_their_triples_and_back() {
    // VECTORS.md sections 4-9 (content octets of the OIDs in their MSE:Set AT / CardAccess).
    let cases = [
        (
            "04007F00070202040202",
            pace(Ecdh, Generic, Aes128),
            "id-PACE-ECDH-GM-AES-CBC-CMAC-128",
        ),
        (
            "04007F00070202040102",
            pace(Dh, Generic, Aes128),
            "id-PACE-DH-GM-AES-CBC-CMAC-128",
        ),
        (
            "04007F00070202040402",
            pace(Ecdh, Integrated, Aes128),
            "id-PACE-ECDH-IM-AES-CBC-CMAC-128",
        ),
        (
            "04007F00070202040302",
            pace(Dh, Integrated, Aes128),
            "id-PACE-DH-IM-AES-CBC-CMAC-128",
        ),
        (
            "04007F00070202040602",
            pace(Ecdh, ChipAuthentication, Aes128),
            "id-PACE-ECDH-CAM-AES-CBC-CMAC-128",
        ),
        (
            "04007F00070202040204",
            pace(Ecdh, Generic, Aes256),
            "id-PACE-ECDH-GM-AES-CBC-CMAC-256",
        ),
        (
            "04007F00070202040101",
            pace(Dh, Generic, Tdes),
            "id-PACE-DH-GM-3DES-CBC-CBC",
        ),
        (
            "04007F00070202040403",
            pace(Ecdh, Integrated, Aes192),
            "id-PACE-ECDH-IM-AES-CBC-CMAC-192",
        ),
    ];
    for (hex, want, name) in cases {
        let oid = ObjectIdentifier::from_bytes(&hex::decode(hex).unwrap()).unwrap();
        let p = PaceProtocol::from_oid(&oid).unwrap();
        assert_eq!(p, want, "{hex}");
        assert_eq!(p.oid(), Some(oid));
        assert_eq!(p.name(), name);
    }
    assert_eq!(PaceProtocol::all().len(), 19);
    for p in PaceProtocol::all() {
        assert_eq!(PaceProtocol::from_oid(&p.oid().unwrap()), Some(p));
    }
    // Undefined combinations and neighbouring OIDs.
    assert_eq!(pace(Ecdh, ChipAuthentication, Tdes).oid(), None);
    assert_eq!(pace(Dh, ChipAuthentication, Aes128).oid(), None);
    assert!(!pace(Dh, ChipAuthentication, Aes128).is_defined());
    for bad in [
        "0.4.0.127.0.7.2.2.4.6.1",
        "0.4.0.127.0.7.2.2.4.5.2",
        "0.4.0.127.0.7.2.2.4.2.5",
        "0.4.0.127.0.7.2.2.4.2",
        "0.4.0.127.0.7.2.2.4.2.2.1",
        "0.4.0.127.0.7.2.2.4.2.200",
    ] {
        assert_eq!(PaceProtocol::from_oid(&o(bad)), None, "{bad}");
    }
    assert_eq!(
        pace_domain_parameters_protocol(&o("0.4.0.127.0.7.2.2.4.2")),
        Some((Ecdh, Generic))
    );
    assert_eq!(
        pace_domain_parameters_oid(Dh, Integrated),
        Some(o("0.4.0.127.0.7.2.2.4.3"))
    );
    assert_eq!(pace_domain_parameters_oid(Dh, ChipAuthentication), None);
}

#[test]
fn ca_oids_map_to_their_pairs_and_back() {
    // VECTORS.md section 9: id-CA-ECDH-AES-CBC-CMAC-128; BSI DG14: id-CA-ECDH-3DES-CBC-CBC.
    let ca = CaProtocol::from_oid(&o("0.4.0.127.0.7.2.2.3.2.2")).unwrap();
    assert_eq!(
        ca,
        CaProtocol {
            agreement: Ecdh,
            cipher: Some(Aes128)
        }
    );
    assert_eq!(ca.name(), "id-CA-ECDH-AES-CBC-CMAC-128");
    let ca = CaProtocol::from_oid(&o("0.4.0.127.0.7.2.2.3.2.1")).unwrap();
    assert_eq!(ca.name(), "id-CA-ECDH-3DES-CBC-CBC");
    assert_eq!(KeyKind::from(ca.cipher.unwrap()), KeyKind::Tdes);
    let pk = CaProtocol::from_oid(&ID_PK_ECDH).unwrap();
    assert_eq!(
        pk,
        CaProtocol {
            agreement: Ecdh,
            cipher: None
        }
    );
    assert_eq!(pk.name(), "id-PK-ECDH");
    for agreement in [Dh, Ecdh] {
        for cipher in [None, Some(Tdes), Some(Aes128), Some(Aes192), Some(Aes256)] {
            let p = CaProtocol { agreement, cipher };
            assert_eq!(CaProtocol::from_oid(&p.oid()), Some(p));
        }
        assert_eq!(
            ca_domain_parameters_protocol(&ca_domain_parameters_oid(agreement)),
            Some(agreement)
        );
    }
    for bad in [
        ID_CA_ECDH,
        o("0.4.0.127.0.7.2.2.3.3.1"),
        ID_TA,
        ID_AA,
        o("0.4.0.127.0.7.2.2.3.2.5"),
    ] {
        assert_eq!(CaProtocol::from_oid(&bad), None, "{bad}");
    }
}

#[test]
fn ciphers_names_and_key_kinds() {
    assert_eq!(Aes128.name(), "AES-128");
    assert_eq!(
        (KeyKind::from(Aes128), KeyKind::from(Aes192), KeyKind::from(Aes256)),
        (KeyKind::Aes(16), KeyKind::Aes(24), KeyKind::Aes(32))
    );
    assert_eq!(Tdes.name(), "3DES");
}

#[test]
fn standardized_domain_parameters() {
    use crate::crypto::domain::StandardizedDomainParameters as Sdp;
    assert_eq!(Sdp::from_id(13), Some(Sdp::Ec(Curve::BrainpoolP256r1)));
    assert_eq!(Sdp::from_id(0), Some(Sdp::Dh(DhGroup::Modp1024_160)));
    for id in [3, 7, 19, 255, 256, u64::MAX] {
        assert_eq!(Sdp::from_id(id), None, "{id}");
    }
    for id in (0..=2).chain(8..=18) {
        assert_eq!(u64::from(Sdp::from_id(id).unwrap().id()), id);
    }
    // VECTORS.md section 5 gives group 0's p, g, q.
    assert!(hex::encode_upper(DhGroup::Modp1024_160.p()).starts_with("B10B8F96A080E01DDE92"));
    assert_eq!(
        hex::encode_upper(DhGroup::Modp1024_160.q()),
        "F518AA8781A8DF278ABA4E7D64B7CB9D49462353"
    );
    for (g, bits) in [
        (DhGroup::Modp1024_160, (1024, 160)),
        (DhGroup::Modp2048_224, (2048, 224)),
        (DhGroup::Modp2048_256, (2048, 256)),
    ] {
        let p = BigUint::from_bytes_be(&g.p());
        let q = BigUint::from_bytes_be(&g.q());
        let generator = BigUint::from_bytes_be(&g.g());
        assert_eq!((p.bits(), q.bits()), bits, "{}", g.name());
        assert_eq!((&p - 1u32) % &q, BigUint::from(0u32));
        assert_eq!(generator.modpow(&q, &p), BigUint::from(1u32));
    }
}

#[test]
fn names_of_other_oids() {
    assert_eq!(
        name(&ID_TA_ECDSA_SHA_256).as_deref(),
        Some("id-TA-ECDSA-SHA-256")
    );
    assert_eq!(
        name(&ECDSA_PLAIN_SHA256).as_deref(),
        Some("ecdsa-plain-SHA256")
    );
    assert_eq!(name(&ID_CI).as_deref(), Some("id-CI"));
    assert_eq!(
        name(&o("0.4.0.127.0.7.2.2.5.2.3")).as_deref(),
        Some("id-RI (0.4.0.127.0.7.2.2.5.2.3)")
    );
    assert_eq!(name(&ID_CA_DH).as_deref(), Some("id-CA-DH"));
    assert_eq!(
        name(&o("0.4.0.127.0.7.2.2.4.6")).as_deref(),
        Some("id-PACE-ECDH-CAM")
    );
    assert_eq!(name(&o("1.2.3.4")), None);
}
