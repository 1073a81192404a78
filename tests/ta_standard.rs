//! The Terminal Authentication message of BSI TR-03110-1 v2.2 clause 3.5, byte for byte:
//! `s_PCD = Sign(SK_PCD, ID_PICC || r_PICC || Comp(PK~_PCD))`, with `ID_PICC` = Comp of the
//! chip's ephemeral PACE key after PACE (dynamic binding) or the document number and check
//! digit after BAC, and Comp = the x-coordinate (TR-03110-3 A.2.2.3). Checked against values
//! assembled by hand from ICAO Doc 9303-11 App. G.1 and against the BSI "Worked Example for
//! EAC" v1.01 signature, on the terminal side (message construction) and the chip side
//! (TaChip accepting the worked example's signature, refusing the message without Comp).

use dactyl::access::cvc::{Chat, CvKey, CvPublicKey, Cvc, Role, TaAlgorithm};
use dactyl::access::pace::{
    ChipPassword, FixedRandomness, PaceChip, PaceSession, PaceSuite, Password, establish_fixed,
};
use dactyl::access::ta::{
    AccessRights, Binding, ChipIdentifier, SIGNATURE_FAILED, TaBinding, TaChip, compress,
};
use dactyl::apdu::{Command, Response};
use dactyl::crypto::ec::Curve;
use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::keys::PublicKey;
use dactyl::crypto::signature::verify_ecdsa_plain;
use dactyl::crypto::signing_key::KeyAlgorithm;
use dactyl::emulator::refusal::status_word;
use dactyl::iso7816::refusal::ChipResult;
use dactyl::issuance::cv_pki::{TestCvPki, build};
use dactyl::lds::mrz::MrzKeyInfo;
use dactyl::oids::{KeyAgreement, PaceProtocol};
use dactyl::time::Date;
use der::asn1::ObjectIdentifier;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

// ICAO 9303-11 App. G.1 (brainpoolP256r1): the chip's and the terminal's ephemeral PACE keys.
const G1_CHIP_EPH_PK: &str = "049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F094";
const G1_TERMINAL_EPH_PK: &str = "042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB36462";
/// The x-coordinate of G1_CHIP_EPH_PK, copied by hand: ID_PICC of the dynamic binding.
const G1_ID_PICC: &str = "9E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB";

// BSI Worked Example for EAC v1.01 (VECTORS.md section 9): the chip's ephemeral PACE key, the
// terminal's Chip Authentication key, the TA challenge, the signature, and the public key of
// the worked example's terminal certificate DETESTATDE019 (brainpoolP512r1, id-TA-ECDSA-SHA-512).
const WE_PICC_EPH_PK: &str = "04282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD6804DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B";
const WE_CA_PCD_EPH_PK: &str = "045A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799A34EE57EC55268CF8B1C3EC489F8BF4CF4C68D3FD9670E89C0D5D3FFF1AAF89F";
const WE_R_PICC: &str = "547E4EAB03B235D2";
const WE_SIGNATURE: &str = "81A2D9E5891B86A0F01ADD0341C89D6E9EF3E20C223884F27B2F2040E9721C46C9C3CF7C0EE0A422263BA6F1EAFC693BD8738F34760B5998584F58DD25B8D60D99D7C45957C2E2F10C0E5F91A8DC88BD7CFA33CBF784A9DA83C800324165179DBE71C69B2C0FD811270E436C43278184DDB542142342DBF156E82D2A1BC19085";
const WE_TERMINAL_PK: &str = "043385B484E8E994C93F55ADF4A9C92DA3C063AC7D744E85D38EE070BF6FF8D7ABA2DE688724B27D6BAE2B1C8AE074C09BB8808CC83036B0692898711D3F6FC3213846E14B3154845084DFBC0EB70AE2BDEA8EEBD6796ACFA4C56F5703CE5A6EFE0A266E43C3F71A1B7EEC60E5C6F0850DC4D3455F53282C9FBCA85DC947D13BEE";
/// ID_PICC || r_PICC || Comp(PK_PCD,CA) of the worked example, assembled by hand from the
/// x-coordinates of WE_PICC_EPH_PK and WE_CA_PCD_EPH_PK around WE_R_PICC.
const WE_MESSAGE: &str = concat!(
    "282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD680",
    "547E4EAB03B235D2",
    "5A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799",
);

fn worked_example_binding() -> TaBinding {
    TaBinding {
        chip: ChipIdentifier::dynamic(KeyAgreement::Ecdh, &h(WE_PICC_EPH_PK)).unwrap(),
        terminal_key: compress(KeyAgreement::Ecdh, &h(WE_CA_PCD_EPH_PK)).unwrap(),
    }
}

fn worked_example_key() -> PublicKey {
    PublicKey::Ec {
        curve: Curve::BrainpoolP512r1,
        point: h(WE_TERMINAL_PK),
    }
}

#[test]
fn bsi_worked_example_message_and_signature() {
    let binding = worked_example_binding();
    let message = binding.message(&h(WE_R_PICC));
    assert_eq!(hex::encode_upper(&message), WE_MESSAGE);
    let sig = h(WE_SIGNATURE);
    verify_ecdsa_plain(&worked_example_key(), HashAlgorithm::Sha512, &message, &sig).unwrap();
    // The message dactyl used to sign (no Comp(PK_PCD)) does not verify.
    let old = [binding.chip.bytes.as_slice(), &h(WE_R_PICC)].concat();
    assert!(verify_ecdsa_plain(&worked_example_key(), HashAlgorithm::Sha512, &old, &sig).is_err());
}

/// A chip trusting a test CVCA, with an IS certificate (issued by the test DV) that carries the
/// worked example's terminal key with explicit brainpoolP512r1 parameters.
fn chip_with_worked_example_terminal() -> (TaChip, [Cvc; 2]) {
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, Date::today()).unwrap();
    let mut body = pki.is.body().clone();
    body.public_key = CvPublicKey {
        algorithm: TaAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        key: CvKey::Ec {
            domain: Some(Curve::BrainpoolP512r1),
            point: h(WE_TERMINAL_PK),
        },
    };
    let is = Cvc::parse(&build(&body, &pki.dv_key).unwrap()).unwrap();
    let chip = TaChip::new(pki.cvca.clone(), Date::today()).unwrap();
    (chip, [pki.dv.clone(), is])
}

fn content(cert: &Cvc) -> Vec<u8> {
    dactyl::tlv::Tlv::parse_tagged(cert.raw(), 0x7F21)
        .unwrap()
        .value
        .to_vec()
}

fn reference(r: &str) -> Vec<u8> {
    dactyl::tlv::encode(0x83, r.as_bytes())
}

/// The chip side of one run: chain, MSE:Set AT, the worked example's challenge, signature.
fn chip_run(chip: &mut TaChip, chain: &[Cvc], binding: &TaBinding) -> Result<AccessRights, u16> {
    let mut run = || -> ChipResult<AccessRights> {
        for cert in chain {
            chip.set_dst(&reference(cert.car()))?;
            chip.verify_certificate(&content(cert))?;
        }
        chip.set_at(&reference(chain[1].chr()))?;
        chip.set_challenge(h(WE_R_PICC).try_into().unwrap());
        chip.external_authenticate(&h(WE_SIGNATURE), binding)
    };
    run().map_err(|e| status_word(e.kind))
}

#[test]
fn the_chip_accepts_the_bsi_worked_example_signature_and_nothing_else() {
    let (mut chip, chain) = chip_with_worked_example_terminal();
    let rights = chip_run(&mut chip, &chain, &worked_example_binding()).unwrap();
    assert!(rights.dg3 && rights.dg4);

    // Without Comp(PK_PCD), with the static binding, or with another terminal key: 6300.
    let mut without_comp = worked_example_binding();
    without_comp.terminal_key.clear();
    let mut static_binding = worked_example_binding();
    static_binding.chip = ChipIdentifier::can("123456");
    let mut other_key = worked_example_binding();
    other_key.terminal_key = compress(KeyAgreement::Ecdh, &h(G1_TERMINAL_EPH_PK)).unwrap();
    for wrong in [without_comp, static_binding, other_key] {
        assert_eq!(
            chip_run(&mut chip, &chain, &wrong),
            Err(SIGNATURE_FAILED),
            "{wrong:?}"
        );
    }
}

#[test]
fn id_picc_after_bac_is_the_document_number_with_its_check_digit() {
    // ICAO 9303-11 App. D.2: document number L898902C<, check digit 3.
    let mrz = MrzKeyInfo::new("L898902C", "690806", "940623").unwrap();
    let id = ChipIdentifier::document_number(&mrz);
    assert_eq!(id.binding, Binding::DocumentNumber);
    assert_eq!(id.bytes, b"L898902C<3");
    let binding = TaBinding {
        chip: id,
        terminal_key: compress(KeyAgreement::Ecdh, &h(G1_TERMINAL_EPH_PK)).unwrap(),
    };
    // "L898902C<3" in ASCII, an 8-byte challenge, the x-coordinate of the G.1 terminal key.
    assert_eq!(
        hex::encode_upper(binding.message(&h("0102030405060708"))),
        concat!(
            "4C383938393032433C33",
            "0102030405060708",
            "2DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C"
        )
    );
}

/// Runs ICAO App. G.1 PACE with both roles on the example's fixed keys; returns the terminal's
/// outcome and the chip's session.
fn g1_pace() -> (dactyl::access::pace::PaceOutcome, PaceSession) {
    let mrz = MrzKeyInfo::new("T22000129", "640812", "101031").unwrap();
    let suite = PaceSuite::new(
        PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.2.2")).unwrap(),
        Curve::BrainpoolP256r1,
    );
    let mut chip = PaceChip::new(
        vec![suite],
        ChipPassword {
            mrz: Some(mrz.clone()),
            can: None,
        },
        None,
    )
    .with_fixed_randomness(FixedRandomness {
        mapping_key: Some(h(
            "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560",
        )),
        nonce: Some(h("3F00C4D39D153F2B2A214A078D899B22")),
        ephemeral_key: Some(h(
            "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A",
        )),
    });
    let terminal_keys = FixedRandomness {
        mapping_key: Some(h(
            "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
        )),
        nonce: None,
        ephemeral_key: Some(h(
            "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
        )),
    };
    let mut session = None;
    let mut transmit = |cmd: &Command| -> dactyl::Result<Response> {
        let data = match cmd.ins {
            0x22 => chip.mse_set_at(&cmd.data).map(|_| Vec::new()),
            _ => chip.general_authenticate(cmd).map(|(d, s)| {
                if s.is_some() {
                    session = s;
                }
                d
            }),
        };
        Ok(match data {
            Ok(data) => Response { data, sw: 0x9000 },
            Err(e) => Response {
                data: Vec::new(),
                sw: status_word(e.kind),
            },
        })
    };
    let (_, outcome) = establish_fixed(
        &mut transmit,
        &Password::Mrz(mrz),
        suite,
        true,
        &terminal_keys,
    )
    .unwrap();
    (outcome, session.expect("the chip completed PACE"))
}

#[test]
fn id_picc_after_pace_is_comp_of_the_chips_ephemeral_key_on_both_sides() {
    let (outcome, session) = g1_pace();
    assert_eq!(
        hex::encode_upper(&outcome.chip_ephemeral_public),
        G1_CHIP_EPH_PK
    );
    assert_eq!(
        hex::encode_upper(&outcome.terminal_ephemeral_public),
        G1_TERMINAL_EPH_PK
    );
    let terminal_side = outcome.dynamic_chip_identifier().unwrap();
    assert_eq!(terminal_side.binding, Binding::Dynamic);
    assert_eq!(hex::encode_upper(&terminal_side.bytes), G1_ID_PICC);
    assert_eq!(hex::encode_upper(&session.chip_key), G1_ID_PICC);
    // Generic Mapping authenticates no chip key: no terminal key for TA from PACE.
    assert_eq!(outcome.cam_terminal_key().unwrap(), None);
    assert_eq!(session.cam_terminal_key, None);
    assert_eq!(session.password_reference, 0x01);
}

#[test]
fn a_dv_without_dg4_rights_takes_dg4_from_its_terminal() {
    // The effective rights are the AND of IS, DV and trust point: a DV without DG4 rights
    // takes DG4 away from its terminal.
    let pki = TestCvPki::generate("UT", KeyAlgorithm::P256, Date::today()).unwrap();
    let mut dv_body = pki.dv.body().clone();
    dv_body.chat = Chat::inspection_system(Role::DvDomestic, true, false);
    let dv = Cvc::parse(&build(&dv_body, &pki.cvca_key).unwrap()).unwrap();
    let mut chip = TaChip::new(pki.cvca.clone(), Date::today()).unwrap();
    for cert in [&dv, &pki.is] {
        chip.set_dst(&reference(cert.car())).unwrap();
        chip.verify_certificate(&content(cert)).unwrap();
    }
    chip.set_at(&reference(pki.is.chr())).unwrap();
    chip.set_challenge([7; 8]);
    let binding = worked_example_binding();
    let sig = pki.is_key.sign(&binding.message(&[7; 8])).unwrap();
    assert_eq!(
        chip.external_authenticate(&sig, &binding),
        Ok(AccessRights {
            dg3: true,
            dg4: false
        })
    );
}

#[test]
fn the_rights_come_from_the_trust_point_the_chain_started_at() {
    // The chip trusts CVCA A; a link certificate makes B (which grants DG3 only) a trust point
    // that sorts after A. The terminal under B must get B's rights, not A's.
    let today = Date::today();
    let a = TestCvPki::generate("UT", KeyAlgorithm::P256, today).unwrap();
    let b = TestCvPki::generate("UU", KeyAlgorithm::P256, today.plus_days(-30).unwrap()).unwrap();
    let mut link_body = b.cvca.body().clone();
    link_body.car = a.cvca.chr().to_string();
    link_body.chat = Chat::inspection_system(Role::Cvca, true, false);
    let link = Cvc::parse(&build(&link_body, &a.cvca_key).unwrap()).unwrap();
    let mut chip = TaChip::new(a.cvca.clone(), today).unwrap();
    for cert in [&link, &b.dv, &b.is] {
        chip.set_dst(&reference(cert.car())).unwrap();
        chip.verify_certificate(&content(cert)).unwrap();
    }
    let order: Vec<&str> = chip.trust_points().iter().map(|t| t.chr()).collect();
    assert_eq!(order, ["UTCVCA00001", "UUCVCA00001"]);
    chip.set_at(&reference(b.is.chr())).unwrap();
    chip.set_challenge([9; 8]);
    let binding = worked_example_binding();
    let sig = b.is_key.sign(&binding.message(&[9; 8])).unwrap();
    assert_eq!(
        chip.external_authenticate(&sig, &binding),
        Ok(AccessRights {
            dg3: true,
            dg4: false
        })
    );
}
