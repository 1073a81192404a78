//! SecurityInfos in EF.CardAccess, EF.CardSecurity and DG14, and the DG15 key: the real files in
//! `fixtures/` (gmrtd AT/DE/MY passports, the BSI reference passport), the worked examples of
//! VECTORS.md, and hand-built DER for every construct of the OpenPACE-sourced files in
//! `../shared/vectors/data/card_access/` (GPL, so not copied; read when present, skipped
//! otherwise): DH keys and parameters, explicit domain parameters of unknown curves, efCVCA file
//! ids, unknown infos, trailing garbage and malformed known infos.

use dactyl::crypto::ec::Curve;
use dactyl::crypto::keys::PublicKey;
use dactyl::lds::dg15::Dg15;
use dactyl::lds::security_infos::{
    self as si, ActiveAuthenticationInfo, CaPublicKey, ChipAuthenticationInfo,
    ChipAuthenticationPublicKeyInfo, KeyParameters, PaceInfo, PublicKeyInfo, SecurityInfo,
    SecurityInfos, TerminalAuthenticationInfo,
};
use dactyl::oids::{CaProtocol, Cipher, KeyAgreement, PaceMapping, PaceProtocol};
use dactyl::pki::cert::Certificate;
use dactyl::pki::cms::check_signer;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

/// The files of a fixture folder with a name ending in `ext`.
fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.to_string_lossy().ends_with(ext));
    out.sort();
    out
}

fn shared_dir(sub: &str) -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors/data")
        .join(sub);
    d.is_dir().then_some(d)
}

fn pace(agreement: KeyAgreement, mapping: PaceMapping, cipher: Cipher) -> PaceProtocol {
    PaceProtocol {
        agreement,
        mapping,
        cipher,
    }
}

const ECDH_GM_128: PaceProtocol = PaceProtocol {
    agreement: KeyAgreement::Ecdh,
    mapping: PaceMapping::Generic,
    cipher: Cipher::Aes128,
};

fn ca(agreement: KeyAgreement, cipher: Option<Cipher>) -> CaProtocol {
    CaProtocol { agreement, cipher }
}

/// Encodes, parses back, and checks the same infos come out (the SET is sorted on encoding).
fn assert_round_trip(infos: &SecurityInfos) -> Vec<u8> {
    let der = infos.try_encode().unwrap();
    assert_eq!(der, infos.encode());
    let again = SecurityInfos::parse(&der).unwrap();
    assert_eq!(again.infos.len(), infos.infos.len());
    for i in &infos.infos {
        assert!(again.infos.contains(i), "lost in the round trip: {i:?}");
    }
    assert_eq!(again.try_encode().unwrap(), der);
    der
}

/// Every strict prefix errors; every single-byte corruption returns without panicking.
fn assert_hostile_inputs_do_not_panic(
    bytes: &[u8],
    parse: &dyn Fn(&[u8]) -> bool,
    trailing_ok: usize,
) {
    for n in 0..bytes.len().saturating_sub(trailing_ok) {
        assert!(!parse(&bytes[..n]), "a {n}-byte prefix parsed");
    }
    for at in 0..bytes.len() {
        for x in [0x01u8, 0x80, 0xFF] {
            let mut b = bytes.to_vec();
            b[at] ^= x;
            let _ = parse(&b);
        }
    }
}

#[test]
fn vectors_section_4_and_gmrtd_at_card_access() {
    let hex4 = h("31143012060A04007F0007020204020202010202010D");
    assert_eq!(
        fixture("lds/card_access/gmrtd_AT_passport_EF_CardAccess.bin"),
        hex4
    );
    let infos = si::card_access(&hex4).unwrap();
    assert!(infos.warnings.is_empty());
    assert_eq!(
        infos.infos,
        [SecurityInfo::Pace(PaceInfo {
            protocol: ECDH_GM_128,
            version: 2,
            parameter_id: Some(13)
        })]
    );
    let p = infos.pace_infos().next().unwrap();
    assert_eq!(p.protocol.name(), "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
    assert_eq!(p.curve(), Some(Curve::BrainpoolP256r1));
    assert_eq!(infos.encode(), hex4);
}

#[test]
fn vectors_section_8_cam_and_gmrtd_de_card_access() {
    let cam = si::card_access(&h("31143012060A04007F0007020204060202010202010D")).unwrap();
    let want = PaceInfo {
        protocol: pace(
            KeyAgreement::Ecdh,
            PaceMapping::ChipAuthentication,
            Cipher::Aes128,
        ),
        version: 2,
        parameter_id: Some(13),
    };
    assert_eq!(cam.pace_infos().collect::<Vec<_>>(), [&want]);
    let de = fixture("lds/card_access/gmrtd_DE_passport_EF_CardAccess.bin");
    let infos = si::card_access(&de).unwrap();
    let mappings: Vec<PaceMapping> = infos.pace_infos().map(|p| p.protocol.mapping).collect();
    assert_eq!(
        mappings,
        [PaceMapping::Generic, PaceMapping::ChipAuthentication]
    );
    assert_eq!(infos.encode(), de);
}

#[test]
fn vectors_section_9_card_access_keeps_unknown_infos() {
    let bytes = h(concat!(
        "3181C6300D060804007F00070202020201023012060A04007F000702020302020201020201013012060A04007F",
        "0007020204020202010202010D301C060904007F000702020302300C060704007F0007010202010D020101302F",
        "060804007F0007020206162368747470733A2F2F7777772E686A702D636F6E73756C74696E672E636F6D2F686F",
        "6D65303E060804007F000702020831323012060A04007F00070202030202020102020102301C060904007F0007",
        "02020302300C060704007F0007010202010D020102"
    ));
    let infos = si::card_access(&bytes).unwrap();
    assert!(infos.warnings.is_empty(), "{:?}", infos.warnings);
    assert_eq!(infos.infos.len(), 6);
    assert_eq!(
        infos.ta_info(),
        Some(&TerminalAuthenticationInfo {
            version: 2,
            file_id: None,
            short_file_id: None
        })
    );
    let want_ca = ChipAuthenticationInfo {
        protocol: ca(KeyAgreement::Ecdh, Some(Cipher::Aes128)),
        version: 2,
        key_id: Some(1),
    };
    assert_eq!(infos.ca_infos().collect::<Vec<_>>(), [&want_ca]);
    assert_eq!(infos.pace_infos().next().unwrap().parameter_id, Some(13));
    let dp = infos.ca_domain_parameters().next().unwrap();
    assert_eq!((dp.agreement, dp.key_id), (KeyAgreement::Ecdh, Some(1)));
    assert_eq!(
        (
            dp.domain_parameter.standardized_id,
            dp.domain_parameter.curve
        ),
        (Some(13), Some(Curve::BrainpoolP256r1))
    );
    // id-CI (the URL) and id-PT (a nested SET of infos) are kept, not interpreted.
    let others: Vec<&str> = infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::Other { oid, .. } => Some(oid.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(others, ["0.4.0.127.0.7.2.2.6", "0.4.0.127.0.7.2.2.8"]);
    assert_eq!(infos.encode(), bytes);
    let json = serde_json::to_string(&infos).unwrap();
    assert!(json.contains("\"parameter_id\":13"), "{json}");
}

#[test]
fn gmrtd_de_card_security_cms_and_chip_authentication_keys() {
    let bytes = fixture("lds/card_access/gmrtd_DE_passport_EF_CardSecurity.bin");
    let (infos, signed) = si::card_security(&bytes).unwrap();
    assert!(infos.warnings.is_empty(), "{:?}", infos.warnings);
    assert_eq!(signed.content_type.to_string(), "0.4.0.127.0.7.3.2.1");
    assert_eq!(infos.pace_infos().count(), 2);
    let keys: Vec<&ChipAuthenticationPublicKeyInfo> = infos.ca_public_keys().collect();
    assert_eq!(keys.len(), 2);
    for k in &keys {
        assert_eq!(k.protocol, ca(KeyAgreement::Ecdh, None));
        assert_eq!(k.key.parameters, KeyParameters::Standardized(13));
        let CaPublicKey::Ec { curve, point } = &k.key.key else {
            panic!("not EC")
        };
        assert_eq!(*curve, Curve::BrainpoolP256r1);
        assert_eq!(point.len(), 65);
        assert!(curve.params().decode_point(point).is_ok());
    }
    assert_eq!(
        keys.iter().map(|k| k.key_id).collect::<Vec<_>>(),
        [Some(13), Some(72)]
    );
    let ca72 = infos.ca_info_for(keys[1]).unwrap();
    assert_eq!((ca72.key_id, ca72.version), (Some(72), 2));
    assert_eq!(si::SecurityInfos::parse(&infos.encode()).unwrap(), infos);
    assert_eq!(
        infos.encode(),
        signed.content,
        "the content is DER and re-encodes byte for byte"
    );
    // The embedded Document Signer is the one gmrtd lists, and its signature holds.
    let dsc = Certificate::from_der(&fixture(
        "lds/card_access/gmrtd_DE_passport_CardSecurity_DSC.cer",
    ))
    .unwrap();
    let si0 = &signed.signer_infos[0];
    assert!(si0.sid.matches(&dsc));
    let check = check_signer(&signed, si0, &PublicKey::from_spki(&dsc.spki).unwrap());
    assert!(check.ok(), "{check:?}");
    // A CMS whose content is not id-SecurityObject is refused.
    let sod = fixture("chips/bsi_passport/EF_SOD.bin");
    assert!(si::card_security(&sod[4..]).is_err());
}

#[test]
fn dg14_files_give_the_right_keys_and_curves() {
    let cases = [
        (
            "lds/dg14_dg15/gmrtd_AT_passport_DG14.bin",
            Curve::BrainpoolP256r1,
            Cipher::Aes128,
            3,
        ),
        (
            "lds/dg14_dg15/gmrtd_MY_passport_DG14.bin",
            Curve::BrainpoolP256r1,
            Cipher::Tdes,
            2,
        ),
        (
            "lds/dg14_dg15/gmrtd_DG14_TestNewDG14_bp384.bin",
            Curve::BrainpoolP384r1,
            Cipher::Aes256,
            4,
        ),
        (
            "chips/bsi_passport/Datagroup14.bin",
            Curve::BrainpoolP224r1,
            Cipher::Tdes,
            2,
        ),
    ];
    for (file, want_curve, cipher, n_others) in cases {
        let bytes = fixture(file);
        let infos = si::dg14(&bytes).unwrap();
        assert!(infos.warnings.is_empty(), "{file}: {:?}", infos.warnings);
        let keys: Vec<_> = infos.ca_public_keys().collect();
        assert_eq!(keys.len(), 1, "{file}");
        let k = keys[0];
        assert_eq!(k.key.parameters, KeyParameters::Explicit, "{file}");
        assert_eq!(k.key.algorithm.to_string(), "1.2.840.10045.2.1", "{file}");
        assert!(
            matches!(k.key.key, CaPublicKey::Ec { curve, .. } if curve == want_curve),
            "{file}"
        );
        let c = infos.ca_infos().next().unwrap();
        assert_eq!(
            (c.protocol, c.version),
            (ca(KeyAgreement::Ecdh, Some(cipher)), 1),
            "{file}"
        );
        assert_eq!(infos.ca_info_for(k), Some(c), "{file}");
        assert_eq!(infos.ta_info().map(|t| t.version), Some(1), "{file}");
        assert_eq!(infos.infos.len(), 1 + n_others, "{file}");
        let der = assert_round_trip(&infos);
        // The AT DG14 is DER and re-encodes byte for byte; the others do not sort their SET.
        if file.contains("_AT_") {
            assert_eq!(si::encode_dg14(&infos), bytes, "{file}");
        }
        assert_eq!(
            si::dg14(&si::encode_dg14(&infos))
                .unwrap()
                .try_encode()
                .unwrap(),
            der
        );
    }
    let bp384 = si::dg14(&fixture("lds/dg14_dg15/gmrtd_DG14_TestNewDG14_bp384.bin")).unwrap();
    let ids: Vec<_> = bp384
        .pace_infos()
        .map(|p| (p.protocol.mapping, p.curve()))
        .collect();
    let bp = Some(Curve::BrainpoolP384r1);
    assert_eq!(
        ids,
        [
            (PaceMapping::Generic, bp),
            (PaceMapping::ChipAuthentication, bp)
        ]
    );
}

#[test]
fn dg15_files_give_rsa_keys() {
    for (file, bits) in [
        ("lds/dg14_dg15/gmrtd_DG15_RSA1792.bin", 1792),
        ("chips/bsi_passport/Datagroup15.bin", 1024),
    ] {
        let bytes = fixture(file);
        let dg = Dg15::parse(&bytes).unwrap();
        assert!(matches!(dg.key, PublicKey::Rsa { .. }), "{file}");
        assert_eq!(dg.key.bits(), bits, "{file}");
        assert_eq!(Dg15::encode(&dg.spki), bytes);
        assert_eq!(PublicKey::from_spki(&dg.spki).unwrap(), dg.key);
        assert_hostile_inputs_do_not_panic(&bytes, &|b| Dg15::parse(b).is_ok(), 0);
    }
    // An EC key with explicit parameters (the BSI CA key, reused as an AA key) resolves its curve.
    let dg14 = si::dg14(&fixture("chips/bsi_passport/Datagroup14.bin")).unwrap();
    let spki = dg14.ca_public_keys().next().unwrap().key.to_spki();
    let dg = Dg15::parse(&Dg15::encode(&spki)).unwrap();
    assert!(matches!(
        dg.key,
        PublicKey::Ec {
            curve: Curve::BrainpoolP224r1,
            ..
        }
    ));
    assert_eq!(Dg15::from_key(dg.key.clone()).key, dg.key);
}

/// The constructs of BSI's DH worked example and of the "dan" card: DH PACE/CA infos, CA domain
/// parameters by standardized id, a DH key under standardizedDomainParameters and under
/// dhpublicnumber with explicit p, g, q, and a Restricted Identification info (unknown).
const DH_INFOS: &str = "318202E4300D060804007F00070202020201023012060A04007F000702020301020201020201013012060A04007F000702020401020201020201003017060A04007F000702020501033009020101020101010100301C060904007F000702020301300C060704007F000701020201000201013081A6060904007F000702020101308195300C060704007F000701020201000381840002818023FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C020101308201C9060904007F000702020101308201B73082012C06072A8648CE3E02013082011F02818100B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B616073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BFACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A437102818100A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28AD662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5021500F518AA8781A8DF278ABA4E7D64B7CB9D494623530381840002818023FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C020102";

/// The constructs of the German eID test cards, the Slovenian card and "ca3": PACE v1 without a
/// parameter id, CA without a key id, PACE domain parameters with explicit brainpoolP256r1 and
/// with the explicit parameters of a curve dactyl does not know, CA domain parameters as a
/// namedCurve, TA with an efCVCA file id, AA, Pseudonymous Signature and an unknown arc, then
/// two bytes of garbage (the status word 6282) after the SET.
const OLD_CARD_INFOS: &str = "318202A33016060804007F000702020202010130070402011A04011A300F060A04007F00070202030201020101300F060A04007F000702020402020201013081FD060904007F0007020204023081EC06072A8648CE3D02013081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377304404207D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9042026DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B60441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A70201010201203081FE060904007F0007020204043081F0060B04007F00070101050202023081E0020101302C06072A8648CE3D0101022100A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E537730440420A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5374042000000000000000000000000000000000000000000000000000000012345678900441048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997022100A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A70201013021060904007F000702020302301406072A8648CE3D020106092B240303020801010730170606678108010105020101060A04007F00070101040103301B060B04007F000702020B010203300902010102010002010102014F300D060528C27B03090201010201066282";

/// Known OIDs with bodies that do not read, a non-SEQUENCE element, and one good PACEInfo.
const MALFORMED_INFOS: &str = "318201903012060A04007F0007020204020204010202010D3015060A04007F000702020302020201020201010201053014060804007F0007020202020101300504030102033062060904007F0007020201023052300C060704007F0007010202010D03420004000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000201013081A3060904007F000702020102308195300C060704007F000701020201000381840002818023FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C301F060904007F0007020201023012300C060704007F0007010202010503020004300B06066781080101050201010201073012060A04007F0007020204020202010202010C";

#[test]
fn dh_infos_and_keys() {
    let infos = SecurityInfos::parse(&h(DH_INFOS)).unwrap();
    assert!(infos.warnings.is_empty(), "{:?}", infos.warnings);
    let p = infos.pace_infos().next().unwrap();
    assert_eq!(
        (p.protocol, p.parameter_id),
        (
            pace(KeyAgreement::Dh, PaceMapping::Generic, Cipher::Aes128),
            Some(0)
        )
    );
    assert_eq!(p.curve(), None);
    assert_eq!(p.standardized().map(|s| s.id()), Some(0));
    assert_eq!(
        infos.ca_infos().next().unwrap().protocol,
        ca(KeyAgreement::Dh, Some(Cipher::Aes128))
    );
    let dp = infos.ca_domain_parameters().next().unwrap();
    assert_eq!(
        (
            dp.agreement,
            dp.domain_parameter.standardized_id,
            dp.domain_parameter.curve
        ),
        (KeyAgreement::Dh, Some(0), None)
    );
    // VECTORS.md section 5's group 0 and its terminal mapping public key as y.
    let y = h(
        "23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C",
    );
    let keys: Vec<_> = infos.ca_public_keys().collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].key.parameters, KeyParameters::Standardized(0));
    assert_eq!(keys[1].key.parameters, KeyParameters::Explicit);
    assert_eq!(
        keys[0].key.key, keys[1].key.key,
        "standardized id 0 resolves to RFC 5114 group 0"
    );
    let CaPublicKey::Dh { p, q, y: ky, .. } = &keys[0].key.key else {
        panic!("not DH")
    };
    assert!(hex::encode_upper(p).starts_with("B10B8F96"));
    assert_eq!(
        q.as_deref().map(hex::encode_upper).as_deref(),
        Some("F518AA8781A8DF278ABA4E7D64B7CB9D49462353")
    );
    assert_eq!(*ky, y);
    assert_eq!(keys[1].key.key.public_value(), y);
    let ri = |i: &SecurityInfo| matches!(i, SecurityInfo::Other { oid, .. } if oid == "0.4.0.127.0.7.2.2.5.1.3");
    assert_eq!(infos.infos.iter().filter(|i| ri(i)).count(), 1);
    assert_eq!(assert_round_trip(&infos), h(DH_INFOS));
    // The DH key converts back to a standardized-parameter SPKI.
    let std = PublicKeyInfo::standardized(keys[1].key.key.clone()).unwrap();
    assert_eq!(std, keys[0].key);
}

#[test]
fn old_card_constructs() {
    let infos = si::card_access(&h(OLD_CARD_INFOS)).unwrap();
    assert_eq!(infos.warnings.len(), 1, "{:?}", infos.warnings);
    assert!(
        infos.warnings[0].contains("2 bytes after"),
        "{:?}",
        infos.warnings
    );
    assert_eq!(
        infos.ta_info(),
        Some(&TerminalAuthenticationInfo {
            version: 1,
            file_id: Some(vec![0x01, 0x1A]),
            short_file_id: Some(0x1A)
        })
    );
    let p = infos.pace_infos().next().unwrap();
    assert_eq!((p.version, p.parameter_id), (1, None));
    assert_eq!(infos.ca_infos().next().unwrap().key_id, None);
    let dps: Vec<_> = infos.pace_domain_parameters().collect();
    assert_eq!(dps.len(), 2);
    assert_eq!(
        (dps[0].domain_parameter.curve, dps[0].parameter_id),
        (Some(Curve::BrainpoolP256r1), Some(32))
    );
    assert_eq!(
        dps[0].mapping(),
        Some((KeyAgreement::Ecdh, PaceMapping::Generic))
    );
    assert_eq!(
        (dps[1].domain_parameter.curve, dps[1].parameter_id),
        (None, None),
        "unknown curve: kept, not resolved"
    );
    assert_eq!(
        dps[1].mapping(),
        Some((KeyAgreement::Ecdh, PaceMapping::Integrated))
    );
    let cadp = infos.ca_domain_parameters().next().unwrap();
    assert_eq!(cadp.domain_parameter.curve, Some(Curve::BrainpoolP256r1));
    assert_eq!(
        infos.aa_info(),
        Some(&ActiveAuthenticationInfo {
            version: 1,
            signature_algorithm: "0.4.0.127.0.7.1.1.4.1.3".into()
        })
    );
    let others = infos
        .infos
        .iter()
        .filter(|i| matches!(i, SecurityInfo::Other { .. }))
        .count();
    assert_eq!((infos.infos.len(), others), (9, 2));
    assert_round_trip(&infos);
    // Garbage after the SET is a warning, but a SET cut short is an error.
    let mut garbage = h(OLD_CARD_INFOS);
    garbage.extend([0x04, 0x49, 0x17, 0x15, 0x41, 0x19, 0x28, 0x80]);
    assert_eq!(si::card_access(&garbage).unwrap().infos, infos.infos);
    let mut padded = h(DH_INFOS);
    padded.extend([0x00; 8]);
    assert!(si::card_access(&padded).unwrap().warnings.is_empty());
}

#[test]
fn malformed_known_infos_are_kept_as_other_with_warnings() {
    let infos = SecurityInfos::parse(&h(MALFORMED_INFOS)).unwrap();
    assert_eq!(infos.infos.len(), 9);
    assert_eq!(infos.warnings.len(), 8, "{:#?}", infos.warnings);
    let others = infos
        .infos
        .iter()
        .filter(|i| matches!(i, SecurityInfo::Other { .. }))
        .count();
    assert_eq!(others, 8);
    assert_eq!(
        infos
            .pace_infos()
            .map(|p| p.parameter_id)
            .collect::<Vec<_>>(),
        [Some(12)]
    );
    assert_eq!(
        (
            infos.ca_infos().count(),
            infos.ca_public_keys().count(),
            infos.aa_info(),
            infos.ta_info()
        ),
        (0, 0, None, None)
    );
    let all = infos.warnings.join("\n");
    for needle in [
        "id-PACE-ECDH-GM-AES-CBC-CMAC-128",
        "id-CA-ECDH",
        "id-TA",
        "not on brainpoolP256r1",
        "id-PK-ECDH",
        "id-AA",
        "no protocol OID",
    ] {
        assert!(all.contains(needle), "no warning about {needle}: {all}");
    }
    // Kept infos re-encode as they came, except the element that is not a SEQUENCE.
    assert_eq!(
        SecurityInfos::parse(&infos.encode()).unwrap().infos.len(),
        8
    );
    assert!(infos.try_encode().is_err());
}

#[test]
fn emulator_infos_round_trip() {
    let at = si::dg14(&fixture("lds/dg14_dg15/gmrtd_AT_passport_DG14.bin")).unwrap();
    let ec_key = at.ca_public_keys().next().unwrap().key.key.clone();
    let dh = SecurityInfos::parse(&h(DH_INFOS)).unwrap();
    let dh_key = dh.ca_public_keys().next().unwrap().key.key.clone();
    let mut named = PublicKeyInfo::explicit(ec_key.clone());
    named.parameters = KeyParameters::NamedCurve;
    let mut nested = PublicKeyInfo::standardized(ec_key.clone()).unwrap();
    nested.algorithm = dactyl::oids::ID_PK_ECDH;
    let pk = |key: PublicKeyInfo, key_id| {
        let protocol = ca(key.key.agreement(), None);
        SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
            protocol,
            key,
            key_id,
        })
    };
    let infos = SecurityInfos {
        infos: vec![
            SecurityInfo::Pace(PaceInfo {
                protocol: ECDH_GM_128,
                version: 2,
                parameter_id: Some(13),
            }),
            SecurityInfo::Pace(PaceInfo {
                protocol: pace(KeyAgreement::Ecdh, PaceMapping::Integrated, Cipher::Aes256),
                version: 2,
                parameter_id: Some(16),
            }),
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol: ca(KeyAgreement::Ecdh, Some(Cipher::Aes128)),
                version: 2,
                key_id: Some(1),
            }),
            pk(
                PublicKeyInfo::standardized(ec_key.clone()).unwrap(),
                Some(1),
            ),
            pk(PublicKeyInfo::explicit(ec_key), Some(2)),
            pk(named, Some(3)),
            pk(nested, Some(4)),
            pk(PublicKeyInfo::explicit(dh_key.clone()), None),
            pk(PublicKeyInfo::standardized(dh_key).unwrap(), Some(5)),
            SecurityInfo::ChipAuthenticationDomainParameters(
                si::ChipAuthenticationDomainParameterInfo {
                    agreement: KeyAgreement::Ecdh,
                    domain_parameter: si::DomainParameters::standardized(13),
                    key_id: Some(1),
                },
            ),
            SecurityInfo::PaceDomainParameters(si::PaceDomainParameterInfo {
                protocol: "0.4.0.127.0.7.2.2.4.2".into(),
                domain_parameter: si::DomainParameters::explicit(Curve::BrainpoolP224r1),
                parameter_id: Some(32),
            }),
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo {
                version: 1,
                signature_algorithm: "0.4.0.127.0.7.1.1.4.1.3".into(),
            }),
            SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
                version: 1,
                file_id: None,
                short_file_id: None,
            }),
            SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo {
                version: 2,
                file_id: Some(vec![0x01, 0x1C]),
                short_file_id: None,
            }),
        ],
        warnings: Vec::new(),
    };
    let der = assert_round_trip(&infos);
    assert!(SecurityInfos::parse(&der).unwrap().warnings.is_empty());
    let dg14 = si::encode_dg14(&infos);
    assert_eq!(dg14[0], 0x6E);
    assert_eq!(si::dg14(&dg14).unwrap().try_encode().unwrap(), der);
    // What cannot be named is refused by try_encode and left out by encode.
    let mut bad = infos.clone();
    bad.infos.push(SecurityInfo::Pace(PaceInfo {
        protocol: pace(
            KeyAgreement::Dh,
            PaceMapping::ChipAuthentication,
            Cipher::Aes128,
        ),
        version: 2,
        parameter_id: None,
    }));
    bad.infos.push(SecurityInfo::ActiveAuthentication(
        ActiveAuthenticationInfo {
            version: 1,
            signature_algorithm: "not an OID".into(),
        },
    ));
    bad.infos.push(SecurityInfo::Other {
        oid: "1.2.3".into(),
        raw: vec![0x30, 0x05],
    });
    assert!(bad.try_encode().is_err());
    assert_eq!(bad.encode(), der);
}

#[test]
fn hostile_inputs_error_without_panics() {
    for hex in [DH_INFOS, MALFORMED_INFOS] {
        assert_hostile_inputs_do_not_panic(&h(hex), &|b| SecurityInfos::parse(b).is_ok(), 0);
    }
    assert_hostile_inputs_do_not_panic(&h(OLD_CARD_INFOS), &|b| SecurityInfos::parse(b).is_ok(), 2);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    for f in files_in(&dir.join("lds/dg14_dg15"), "DG14.bin")
        .iter()
        .chain(&files_in(&dir.join("lds/dg14_dg15"), "bp384.bin"))
    {
        assert_hostile_inputs_do_not_panic(&std::fs::read(f).unwrap(), &|b| si::dg14(b).is_ok(), 0);
    }
    let cs = fixture("lds/card_access/gmrtd_DE_passport_EF_CardSecurity.bin");
    assert_hostile_inputs_do_not_panic(&cs, &|b| si::card_security(b).is_ok(), 0);
    for bad in [
        "",
        "30",
        "3100",
        "31023000",
        "3103300106",
        "6E00",
        "6E0431023000",
        "0400",
        "3180",
    ] {
        let b = h(bad);
        let _ = (
            SecurityInfos::parse(&b),
            si::dg14(&b),
            si::card_security(&b),
            Dg15::parse(&b),
        );
    }
    assert!(SecurityInfos::parse(&[]).is_err());
    assert!(
        SecurityInfos::parse(&h("3000")).is_err(),
        "a SEQUENCE is not a SET"
    );
    assert!(
        si::dg14(&h("31143012060A04007F0007020204020202010202010D")).is_err(),
        "DG14 needs tag 6E"
    );
    // 10,000 nested SETs: an error, not a stack overflow.
    let deep: Vec<u8> = std::iter::repeat_n([0x31u8, 0x80], 10_000)
        .flatten()
        .collect();
    assert!(SecurityInfos::parse(&deep).is_err());
}

/// Every fixture parses; the GPL-sourced files of `../shared` too, when that folder exists.
#[test]
fn every_card_access_card_security_and_dg14_parses() {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lds/card_access")];
    dirs.extend(shared_dir("card_access"));
    let mut n = 0;
    for dir in dirs {
        for f in files_in(&dir, ".bin") {
            let bytes = std::fs::read(&f).unwrap();
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let infos = if name.contains("CardSecurity") {
                let (infos, _) =
                    si::card_security(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert!(infos.ca_public_keys().count() >= 1, "{name}");
                infos
            } else {
                si::card_access(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
            };
            assert!(!infos.infos.is_empty(), "{name}");
            // Only the cards with trailing garbage warn.
            let expect_warning = name.contains("new_testcard") || name.contains("openpace_SI");
            assert_eq!(
                !infos.warnings.is_empty(),
                expect_warning,
                "{name}: {:?}",
                infos.warnings
            );
            assert_round_trip(&infos);
            n += 1;
        }
    }
    assert!(n >= 3);
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/lds/dg14_dg15")];
    dirs.extend(shared_dir("dg14_dg15"));
    for dir in dirs {
        for f in files_in(&dir, ".bin") {
            let bytes = std::fs::read(&f).unwrap();
            if f.to_string_lossy().contains("DG15") {
                Dg15::parse(&bytes).unwrap();
            } else {
                assert!(si::dg14(&bytes).unwrap().warnings.is_empty(), "{f:?}");
            }
        }
    }
}

/// The BSI EAC worked example's CardSecurity (read from `../shared` only: OpenPACE is GPL) holds
/// the CA key VECTORS.md section 9 lists.
#[test]
fn bsi_worked_example_card_security_when_present() {
    let Some(dir) = shared_dir("card_access") else {
        return;
    };
    let (infos, _) =
        si::card_security(&std::fs::read(dir.join("BSI_EACWE_ECDH_EF_CardSecurity.bin")).unwrap())
            .unwrap();
    let k = infos.ca_public_keys().next().unwrap();
    assert_eq!(
        hex::encode_upper(k.key.key.public_value()),
        "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94"
    );
    let (dh, _) =
        si::card_security(&std::fs::read(dir.join("BSI_EACWE_DH_EF_CardSecurity.bin")).unwrap())
            .unwrap();
    let k = dh.ca_public_keys().next().unwrap();
    assert_eq!(
        (k.key.parameters, k.key.key.agreement()),
        (KeyParameters::Standardized(0), KeyAgreement::Dh)
    );
    let old = si::card_access(
        &std::fs::read(dir.join("openpace_DE_eID_old_testcard_EF_CardAccess.bin")).unwrap(),
    )
    .unwrap();
    assert!(
        old.pace_domain_parameters()
            .all(|d| d.domain_parameter.curve.is_none()),
        "brainpoolP256t1 is not known"
    );
}
