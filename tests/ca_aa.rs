//! Chip Authentication and Active Authentication, both roles: the BSI EAC worked example (CA
//! part), real passports' CA and AA transcripts (gmrtd), the ICAO 9303-11 AA worked example,
//! the BSI reference passport's DG14/DG15 keys, and terminal-against-chip round trips over
//! secure messaging on several curves, ciphers and DH.

use dactyl::access::aa::{self, AaAlgorithm, AaKey, EcdsaFormat};
use dactyl::access::ca::{
    self, CaChip, CaCommands, CaDomain, CaParams, CaVersion, chip_authentication,
};
use dactyl::apdu::{Command, Response};
use dactyl::oids::{CaProtocol, Cipher, DhGroup, KeyAgreement};
use dactyl::pki::asn1;
use dactyl::pki::ec::Curve;
use dactyl::pki::hash::HashAlgorithm;
use dactyl::pki::keys::PublicKey;
use dactyl::sm::{SecureMessaging, Suite, sm_error_status};
use dactyl::{Error, Result};
use der::asn1::ObjectIdentifier;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn hx(b: &[u8]) -> String {
    hex::encode_upper(b)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/chips/bsi_passport/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn ca_oid(agreement: KeyAgreement, cipher: Cipher) -> ObjectIdentifier {
    CaProtocol {
        agreement,
        cipher: Some(cipher),
    }
    .oid()
}

fn sm(suite: Suite, enc: &str, mac: &str, ssc: &str) -> SecureMessaging {
    SecureMessaging::new(suite, &h(enc), &h(mac), &h(ssc)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// An in-memory chip: secure messaging on both ends, CA commands dispatched to CaChip.

struct Chip {
    ca: CaChip,
    sm: Option<SecureMessaging>,
    /// Flips a byte of the next GENERAL AUTHENTICATE answer (a forged T_PICC).
    forge_token: bool,
}

impl Chip {
    fn dispatch(&mut self, cmd: &Command) -> (Response, Option<SecureMessaging>) {
        let fail = |e: Error| (Response::sw(e.sw().unwrap_or(0x6F00)), None);
        match (cmd.ins, cmd.p1, cmd.p2) {
            (0x22, 0x41, 0xA6) => match self.ca.set_kat(&cmd.data) {
                Ok(new) => (Response::sw(0x9000), Some(new.sm)),
                Err(e) => fail(e),
            },
            (0x22, 0x41, 0xA4) => match self.ca.set_at(&cmd.data) {
                Ok(()) => (Response::sw(0x9000), None),
                Err(e) => fail(e),
            },
            (0x86, 0, 0) => match self.ca.general_authenticate(&cmd.data) {
                Ok((mut data, new)) => {
                    if self.forge_token {
                        *data.last_mut().unwrap() ^= 1;
                    }
                    (Response::new(data, 0x9000), Some(new.sm))
                }
                Err(e) => fail(e),
            },
            (0xB0, _, _) => (Response::new(b"DG1 after CA".to_vec(), 0x9000), None),
            _ => (Response::sw(0x6D00), None),
        }
    }

    /// One protected (or plain, before any session) exchange; the answer to a CA command goes
    /// out under the old keys, then the chip switches.
    fn process(&mut self, wire: &Command) -> Response {
        let cmd = match &mut self.sm {
            Some(sm) => match sm.unwrap_command(wire) {
                Ok(c) => c,
                Err(e) => {
                    self.sm = None;
                    return Response::sw(sm_error_status(&e));
                }
            },
            None => wire.clone(),
        };
        let (resp, new) = self.dispatch(&cmd);
        let out = match &mut self.sm {
            Some(sm) => sm.wrap_response(&resp, cmd.ins & 1 == 1).unwrap(),
            None => resp,
        };
        if new.is_some() {
            self.sm = new;
        }
        out
    }
}

fn send(term: &mut Option<SecureMessaging>, chip: &mut Chip, cmd: &Command) -> Result<Response> {
    match term {
        Some(sm) => {
            let wire = Command::parse(&sm.wrap_command(cmd)?.to_bytes()?)?;
            let resp = chip.process(&wire);
            sm.unwrap_response(&Response::parse(&resp.to_bytes())?)
        }
        None => Ok(chip.process(cmd)),
    }
}

fn old_session(suite: Suite, key_len: usize) -> (SecureMessaging, SecureMessaging, [Vec<u8>; 2]) {
    let (k1, k2) = (vec![0x11; key_len], vec![0x22; key_len]);
    let ssc = vec![0u8; suite.block_size()];
    let t = SecureMessaging::new(suite, &k1, &k2, &ssc).unwrap();
    let c = SecureMessaging::new(suite, &k1, &k2, &ssc).unwrap();
    (t, c, [k1, k2])
}

/// Runs CA over an existing 3DES session, then checks the new session works on both ends and
/// the old keys no longer do.
fn run_round_trip(ca_chip: CaChip, params: &CaParams) -> Option<Vec<u8>> {
    let (t, c, [k1, k2]) = old_session(Suite::Tdes, 16);
    let mut chip = Chip {
        ca: ca_chip,
        sm: Some(c),
        forge_token: false,
    };
    let mut term = Some(t);
    let outcome = chip_authentication(&mut |cmd| send(&mut term, &mut chip, cmd), params, None)
        .unwrap_or_else(|e| panic!("{:?}/{:?}: {e}", params.domain, params.cipher));
    let exchanges: u8 = match params.commands {
        CaCommands::MseSetKat => 1,
        CaCommands::MseSetAtGeneralAuthenticate => 2,
    };
    // The new session works on both ends, from SSC 0.
    let mut term = Some(outcome.sm);
    let read = Command::new(0, 0xB0, 0, 0).with_le(256);
    let r = send(&mut term, &mut chip, &read).unwrap();
    assert_eq!((r.data.as_slice(), r.sw), (&b"DG1 after CA"[..], 0x9000));
    let new = term.as_mut().unwrap();
    assert_eq!(new.ssc().len(), new.suite().block_size());
    assert_eq!(new.ssc().iter().map(|&b| u32::from(b)).sum::<u32>(), 2);
    // The old session, at the SSC it would have reached, cannot read the chip's new answers...
    let mut ssc = [0u8; 8];
    ssc[7] = 2 * exchanges;
    let mut stale = SecureMessaging::new(Suite::Tdes, &k1, &k2, &ssc).unwrap();
    let answer = chip.process(&new.wrap_command(&read).unwrap());
    assert_eq!(answer.sw, 0x9000);
    stale.wrap_command(&read).unwrap();
    assert!(stale.unwrap_response(&answer).is_err());
    // ...and the chip refuses its commands, ending the session.
    let mut stale = Some(SecureMessaging::new(Suite::Tdes, &k1, &k2, &ssc).unwrap());
    let e = send(&mut stale, &mut chip, &read).unwrap_err();
    assert!(matches!(e, Error::SecureMessaging(_)), "{e}");
    assert!(chip.sm.is_none());
    outcome.chip_nonce
}

// ---------------------------------------------------------------------------------------------
// Chip Authentication: BSI EAC worked example (VECTORS.md section 9, CA part).

const BSI_CA_SK: &str = "7984674CF3B3A524BF929CE8A67FCF22173DA0BAD595EED6DEB72D22C542FA9D";
const BSI_CA_PK: &str = "04A44EBE5451DF7AADB01E459B8C928A87746A57927C8C28A6775C97A7E1FE8D9A46FF4A1CC7E4D1389AEA19758E4F75C28C598FD734AEBEB135337CF95BE12E94";
const BSI_EPH_SK: &str = "00A6A4D255C5BF7A77EC3D0553DB74F693CF044E18C98364D4977A296108AF19BD";
const BSI_EPH_PK: &str = "045A7A377FC9CAFC03AC7FF45441A8B2909D88EAB8E6B0173847AB49B949DF3799A34EE57EC55268CF8B1C3EC489F8BF4CF4C68D3FD9670E89C0D5D3FFF1AAF89F";
const BSI_R: &str = "4287B3072A3EDC60";
const BSI_K: &str = "791DA04273CCFE862E52DF60347E2557192E1F8D7517822CE3D306056C1CDEB4";
const BSI_KSENC: &str = "94ABCD271AB7D9A5590BA52CB518B831";
const BSI_KSMAC: &str = "78B5709E7ABEDB185B424D0EE3A82499";
const BSI_T: &str = "FF0117D68DEE8E72";

#[test]
fn bsi_eac_worked_example_ca_values_byte_for_byte() {
    let d = CaDomain::Ec(Curve::BrainpoolP256r1);
    let chip_sk = d.private_key(&h(BSI_CA_SK)).unwrap();
    let eph_sk = d.private_key(&h(BSI_EPH_SK)).unwrap();
    assert_eq!(hx(&d.public_key(&chip_sk).unwrap()), BSI_CA_PK);
    assert_eq!(hx(&d.public_key(&eph_sk).unwrap()), BSI_EPH_PK);
    assert_eq!(hx(&d.shared_secret(&eph_sk, &h(BSI_CA_PK)).unwrap()), BSI_K);
    assert_eq!(
        hx(&d.shared_secret(&chip_sk, &h(BSI_EPH_PK)).unwrap()),
        BSI_K
    );
    // KDF(K || r_PICC, c), as VECTORS.md says: the nonce goes between K and the counter.
    let (enc, mac) = ca::session_keys(Cipher::Aes128, &h(BSI_K), Some(&h(BSI_R)));
    assert_eq!((hx(&enc), hx(&mac)), (BSI_KSENC.into(), BSI_KSMAC.into()));
    let (enc_v1, _) = ca::session_keys(Cipher::Aes128, &h(BSI_K), None);
    assert_ne!(hx(&enc_v1), BSI_KSENC);
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Aes128);
    let t = ca::authentication_token(Cipher::Aes128, &mac, &oid, &d, &h(BSI_EPH_PK)).unwrap();
    assert_eq!(hx(&t), BSI_T);
}

#[test]
fn bsi_eac_worked_example_ca_protocol_both_roles() {
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Aes128);
    let domain = CaDomain::Ec(Curve::BrainpoolP256r1);
    let ca_chip = CaChip::new(domain.clone(), &h(BSI_CA_SK), oid, CaVersion::V2, None)
        .unwrap()
        .with_fixed_nonce(h(BSI_R).try_into().unwrap());
    assert_eq!(hx(ca_chip.public_key()), BSI_CA_PK);
    let params = CaParams::new(oid, CaVersion::V2, domain, h(BSI_CA_PK), None).unwrap();
    assert_eq!(params.commands, CaCommands::MseSetAtGeneralAuthenticate);
    let mut chip = Chip {
        ca: ca_chip,
        sm: None,
        forge_token: false,
    };
    let mut wire = Vec::new();
    let outcome = chip_authentication(
        &mut |cmd| {
            let resp = chip.process(cmd);
            wire.push((hx(&cmd.to_bytes()?), hx(&resp.to_bytes())));
            Ok(resp)
        },
        &params,
        Some(&h(BSI_EPH_SK)),
    )
    .unwrap();
    assert_eq!(
        wire[0],
        ("002241A40C800A04007F00070202030202".into(), "9000".into())
    );
    assert_eq!(wire[1].0, format!("00860000457C438041{BSI_EPH_PK}00"));
    assert_eq!(wire[1].1, format!("7C148108{BSI_R}8208{BSI_T}9000"));
    assert_eq!(hx(&outcome.terminal_ephemeral_public), BSI_EPH_PK);
    assert_eq!(
        outcome.chip_nonce.as_deref().map(hx).as_deref(),
        Some(BSI_R)
    );
    // Both ends' new sessions are KSenc/KSmac of the example with SSC 0.
    let mut expected = sm(
        Suite::Aes,
        BSI_KSENC,
        BSI_KSMAC,
        "00000000000000000000000000000000",
    );
    let mut term = outcome.sm;
    let read = Command::new(0, 0xB0, 0, 0).with_le(4);
    assert_eq!(
        term.wrap_command(&read).unwrap(),
        expected.wrap_command(&read).unwrap()
    );
    let mut chip_sm = chip.sm.take().unwrap();
    let mut expected = sm(
        Suite::Aes,
        BSI_KSENC,
        BSI_KSMAC,
        "00000000000000000000000000000000",
    );
    let wrapped = expected.wrap_command(&read).unwrap();
    assert_eq!(chip_sm.unwrap_command(&wrapped).unwrap(), read);
}

// ---------------------------------------------------------------------------------------------
// Real passports (gmrtd chipauth/chip_auth_test.go, VECTORS.md section 10): the terminal side
// reproduces the protected APDUs byte for byte and ends with the passport's new session.

struct RealCa {
    old: SecureMessaging,
    params: CaParams,
    eph_sk: &'static str,
    eph_pk: &'static str,
    exchanges: &'static [(&'static str, &'static str)],
    select_dg14: (&'static str, &'static str),
}

fn replay(case: RealCa) {
    let mut old = case.old;
    let mut i = 0;
    let outcome = chip_authentication(
        &mut |cmd| {
            let wire = old.wrap_command(cmd)?;
            let (want, answer) = case.exchanges[i];
            assert_eq!(hx(&wire.to_bytes()?), want.to_uppercase(), "command {i}");
            i += 1;
            old.unwrap_response(&Response::parse(&h(answer))?)
        },
        &case.params,
        Some(&h(case.eph_sk)),
    )
    .unwrap();
    assert_eq!(i, case.exchanges.len());
    assert_eq!(
        hx(&outcome.terminal_ephemeral_public),
        case.eph_pk.to_uppercase()
    );
    assert_eq!(outcome.chip_nonce, None);
    let mut new = outcome.sm;
    let select = Command::new(0, 0xA4, 0x02, 0x0C).with_data(vec![0x01, 0x0E]);
    let wire = new.wrap_command(&select).unwrap();
    assert_eq!(
        hx(&wire.to_bytes().unwrap()),
        case.select_dg14.0.to_uppercase()
    );
    let r = new
        .unwrap_response(&Response::parse(&h(case.select_dg14.1)).unwrap())
        .unwrap();
    assert_eq!(r.sw, 0x9000);
    assert_eq!(new.ssc().last(), Some(&2));
}

#[test]
fn real_austrian_passport_ca_v1_aes_general_authenticate() {
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Aes128);
    let pk = h(
        "041983917269AC877C0B61544C2C022000D2A5ABA723E2D80141E648B40911DC3459761F27480E4B57181A53D8FE1190EA86C939AC14363178CAFFC621F0F905C3",
    );
    replay(RealCa {
        old: sm(
            Suite::Aes,
            "524170DE3419B7AF2F23E45AD6EF9595",
            "97893F5FDC29A5C13A924FE7D8ED44FD",
            "000000000000000000000000000000F0",
        ),
        params: CaParams::new(
            oid,
            CaVersion::V1,
            CaDomain::Ec(Curve::BrainpoolP256r1),
            pk,
            None,
        )
        .unwrap(),
        eph_sk: "80EBAFC8A51BECD4D90BB640EE38C9FD5C12748D28AAA37096B98C4533C4F5F5",
        eph_pk: "044827C781BE1AC7A00B351214FD783AC76D99E831A6316C8FD6DE7BD96CFA31DA06B6B57BA380789729F4A028212A768C49BF5F97D98B1DB12BEEC1A1CD324FB2",
        exchanges: &[
            (
                "0C2241A41D8711015D8F69B1EA365CCE4304970DB12421F38E085340D338128085E700",
                "990290008E083F5136E82A6C34779000",
            ),
            (
                "0C860000608751019E18F1BA79D805379752BB560EB70AAC3CE3BC5AFE2FDD4AEB325CA8B578B4A93B9F66A5DF40005F8E878535251D33DD974AAF77FB858773E5799FA9DC1034E89B1150EC7F0BB3DB4BF37A1B9EA4458A9701008E089D204D950C0B95DB00",
                "8711010B0A5DFFC7432DE4DEB604291377A05B990290008E08B3384A1F5D1579739000",
            ),
        ],
        select_dg14: (
            "0CA4020C1D8711011B2EE500E84960DF7F37AFE7ADFF53838E084500F3B43E192A5700",
            "990290008E0803C4B125B4218CEF9000",
        ),
    });
}

#[test]
fn real_german_passport_ca_with_key_id() {
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Aes128);
    let pk = h(
        "047036BC5D0BCF31913B59103BB6F2C0C98C99EF4C19B9517340B76BFE4EE2194C76C3F3314E021D4B092DB5A32AB7D6E297F2FBEAE45AA28DEFC4DA750FEAD54E",
    );
    replay(RealCa {
        old: sm(
            Suite::Aes,
            "CC86415F2ED7E8FD663B754265695AE1",
            "581E84B8EE06C4D3EEE30461498D7FB3",
            "000000000000000000000000000000BA",
        ),
        params: CaParams::new(
            oid,
            CaVersion::V1,
            CaDomain::Ec(Curve::BrainpoolP256r1),
            pk,
            Some(0xC3),
        )
        .unwrap(),
        eph_sk: "84A5145885678EE9307C28C52736896267511203B7B8009C5FE27ABCBAECDCAA",
        eph_pk: "04897FA47C895D35949A8DB8F776A62D775BDF764A1AA1BDC2D8FC96CD5C2E80E39F631C67E84364DCF85F5C9F8CE79A752071896819A0D510CF9701652486817C",
        exchanges: &[
            (
                "0C2241A41D871101980953D37F67558690045D78A853B18A8E08929767A2CEF172E200",
                "990290008E08FC873EBB62219C8A9000",
            ),
            (
                "0C8600006087510161912C367A6322D24AA1D4522DC47A7345369257672DF1D1163D506EB6489395D8083FAD393A394297CE8703C42F22C864C1F4C8E70EE1CF9B497ACF6579190D90F36CF9E16FE2149FF57247285D9E1E9701008E08A1D7A16EFBFD932C00",
                "87110123E7159AC9B0EF92CE1F6755B89697E3990290008E088972F1595E1508C29000",
            ),
        ],
        select_dg14: (
            "0CA4020C1D871101FAD37EADBCDE7E6A0833035A9FFF5B708E0836560BBCE1FECD5F00",
            "990290008E0829D0E1EBBB61BE7A9000",
        ),
    });
}

#[test]
fn real_malaysian_passport_ca_3des_over_general_authenticate() {
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Tdes);
    let pk = h(
        "04A04F85AFDFC316FB5E9F33F94CA45837D20D9D91AD5002307C3F124B6EF5B92565D018A6B7F69DB73976BFBB4278757405C64E96104D161649E8A94078EAEFCE",
    );
    let mut params = CaParams::new(
        oid,
        CaVersion::V1,
        CaDomain::Ec(Curve::BrainpoolP256r1),
        pk,
        None,
    )
    .unwrap();
    assert_eq!(params.commands, CaCommands::MseSetKat);
    params.commands = CaCommands::MseSetAtGeneralAuthenticate;
    replay(RealCa {
        old: sm(
            Suite::Tdes,
            "896de34a942c7076fec207207acb79c2",
            "d6c47ff4677ac8ae91cb49f4ce673432",
            "9646c154bfb7be79",
        ),
        params,
        eph_sk: "3a31f4e18418312fcb40f3efbe719182c046a9719e1ed8c376197aa9e8ed7465",
        eph_pk: "043da6d3b923689b96aa65d744f1bd1537fcf1f8a5dd9bc6b01d7b30fc1812645b510cb66bed899c67a802a7881313e4bca87055cde3cf615efdbadbb64bc32462",
        exchanges: &[
            (
                "0C2241A41D8711019D1E70C6F5EE06A7CA1E98FBF5C945C98E087AC379DC78702E6300",
                "990290008E08643C2C3AC66585E49000",
            ),
            (
                "0C86000058874901A9C6BF370C62AA43CA1EC9B97071727654822361DEB8BA4E5719AA05D8E86AA36164DFA5E506DBF60DC7418858179FD25DAC5E9E49393DDE37E29652444941B562142AB5F19AEA919701008E085083316637060C4D00",
                "87090108166157B375BC1E990290008E08FF8A254C50179F519000",
            ),
        ],
        select_dg14: (
            "0CA4020C1587090106904D37288D69488E08A13B74E87B87E44600",
            "990290008E08C2BF01FDDD1D599D9000",
        ),
    });
}

#[test]
fn real_french_passport_ca_mse_set_kat_after_aes256_pace() {
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Tdes);
    let pk = h(
        "048367FC170D90AD53A28C6526A9C7EC4F5C59C4F7F5D992583F951A1654B4D1D6332163A33D82CBF245154887A8812ED9A55C15AD9D5C5C463851875BBA9AEABD",
    );
    replay(RealCa {
        old: sm(
            Suite::Aes,
            "17da5d46e356f5b31c3d65b1369ef531ca811effc76967d2b62335e1ad9fe5cb",
            "5cb99a25e6081581fac80c8da621087939b6bde273f2f7c65693b3a0ea3051ed",
            "000000000000000000000000000000c6",
        ),
        params: CaParams::new(oid, CaVersion::V1, CaDomain::Ec(Curve::P256), pk, None).unwrap(),
        eph_sk: "d9c3b06a4dcb735351429403fcb56db520dc882512d775971f724d6112f96586",
        eph_pk: "04334f809c8842a4c9316c19e52a0d6ea0285996c40ff6db303cef72099198c8ad5d6b46e93482de899533d06eac54c289df5aa1436a846fb9154100c5322439ea",
        exchanges: &[(
            "0c2241a65d8751013ae386873df68bd7e9f8d7ab2e696ced29eeb8da78d502645b5e97d566361341e2eaa56318f6d84bf0bc44f7808afaf14798d16048aab03545f017f557d2cce9dee724f099e3d643abd0fb03e567d9b18e08f2d238dede5abbf100",
            "990290008e089666ac14d11e8c2c9000",
        )],
        select_dg14: (
            "0ca4020c15870901db66e918fe3525f98e08d870008cea2ba80000",
            "990290008e08420dea0a913418ae9000",
        ),
    });
}

// ---------------------------------------------------------------------------------------------
// Round trips: terminal against chip.

#[test]
fn round_trips_on_four_curves_and_four_ciphers() {
    for curve in [
        Curve::P256,
        Curve::BrainpoolP256r1,
        Curve::P384,
        Curve::BrainpoolP224r1,
    ] {
        for (cipher, version) in [
            (Cipher::Tdes, CaVersion::V1),
            (Cipher::Aes128, CaVersion::V2),
            (Cipher::Aes192, CaVersion::V2),
            (Cipher::Aes256, CaVersion::V2),
        ] {
            let domain = CaDomain::Ec(curve);
            let sk = domain.random_private_key().unwrap();
            let oid = ca_oid(KeyAgreement::Ecdh, cipher);
            let chip = CaChip::new(domain, &sk, oid, version, Some(7)).unwrap();
            let params = chip.terminal_params().clone();
            let nonce = run_round_trip(chip, &params);
            assert_eq!(
                nonce.is_some(),
                version == CaVersion::V2,
                "{curve} {cipher:?}"
            );
        }
    }
}

#[test]
fn round_trips_of_the_other_command_and_version_combinations() {
    let domain = CaDomain::Ec(Curve::P256);
    let sk = domain.random_private_key().unwrap();
    for (cipher, version, commands) in [
        (
            Cipher::Aes128,
            CaVersion::V1,
            CaCommands::MseSetAtGeneralAuthenticate,
        ),
        (
            Cipher::Tdes,
            CaVersion::V1,
            CaCommands::MseSetAtGeneralAuthenticate,
        ),
        (
            Cipher::Tdes,
            CaVersion::V2,
            CaCommands::MseSetAtGeneralAuthenticate,
        ),
    ] {
        let chip = CaChip::new(
            domain.clone(),
            &sk,
            ca_oid(KeyAgreement::Ecdh, cipher),
            version,
            None,
        )
        .unwrap();
        let mut params = chip.terminal_params().clone();
        params.commands = commands;
        run_round_trip(chip, &params);
    }
}

#[test]
fn dh_round_trips_with_the_rfc_5114_group() {
    let g = DhGroup::Modp1024_160;
    let domain = CaDomain::Dh {
        p: g.p(),
        g: g.g(),
        q: Some(g.q()),
    };
    let sk = domain.random_private_key().unwrap();
    for (cipher, version) in [
        (Cipher::Tdes, CaVersion::V1),
        (Cipher::Aes128, CaVersion::V2),
    ] {
        let chip = CaChip::new(
            domain.clone(),
            &sk,
            ca_oid(KeyAgreement::Dh, cipher),
            version,
            None,
        )
        .unwrap();
        let params = chip.terminal_params().clone();
        run_round_trip(chip, &params);
    }
    for bad in [vec![1u8], g.p(), vec![0u8; 128]] {
        assert!(domain.check_public_key(&bad).is_err());
    }
    // p − 1 has order 2, outside the subgroup of order q.
    let mut p_minus_1 = g.p();
    *p_minus_1.last_mut().unwrap() -= 1;
    assert!(domain.check_public_key(&p_minus_1).is_err());
}

fn bsi_dg14_chip_key() -> PublicKey {
    // DG14 = 6E { SET { ChipAuthenticationPublicKeyInfo { id-PK-ECDH, SubjectPublicKeyInfo }, ... } }
    let dg14 = fixture("Datagroup14.bin");
    let outer = asn1::parse_exact(&dg14).unwrap();
    let set = outer.reader().required("SET").unwrap();
    for info in set.children().unwrap() {
        let mut r = info.reader();
        if r.required("oid").unwrap().oid().unwrap() == dactyl::oids::ID_PK_ECDH {
            return PublicKey::from_spki_object(&r.required("spki").unwrap()).unwrap();
        }
    }
    panic!("no CA key in DG14");
}

#[test]
fn bsi_reference_passport_dg14_key_on_brainpool_p224r1() {
    let PublicKey::Ec { curve, point } = bsi_dg14_chip_key() else {
        panic!()
    };
    assert_eq!(curve, Curve::BrainpoolP224r1);
    let oid: ObjectIdentifier = "0.4.0.127.0.7.2.2.3.2.1".parse().unwrap();
    let chip = CaChip::from_pkcs8_der(&fixture("DG14_sk.pkcs8"), oid, CaVersion::V1, None).unwrap();
    assert_eq!(chip.public_key(), point.as_slice());
    let params = CaParams::new(oid, CaVersion::V1, CaDomain::Ec(curve), point, None).unwrap();
    assert_eq!(
        (params.cipher, params.commands),
        (Cipher::Tdes, CaCommands::MseSetKat)
    );
    run_round_trip(chip, &params);
}

// ---------------------------------------------------------------------------------------------
// Chip Authentication failures.

fn p256_chip(version: CaVersion, cipher: Cipher) -> CaChip {
    let d = CaDomain::Ec(Curve::P256);
    CaChip::new(
        d.clone(),
        &d.random_private_key().unwrap(),
        ca_oid(KeyAgreement::Ecdh, cipher),
        version,
        None,
    )
    .unwrap()
}

#[test]
fn points_off_the_curve_are_refused_by_both_roles() {
    let mut chip = p256_chip(CaVersion::V1, Cipher::Tdes);
    let good = chip.public_key().to_vec();
    let mut off = good.clone();
    *off.last_mut().unwrap() ^= 1;
    let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Tdes);
    // Terminal: a DG14 key off the curve, or on another curve.
    assert!(
        CaParams::new(
            oid,
            CaVersion::V1,
            CaDomain::Ec(Curve::P256),
            off.clone(),
            None
        )
        .is_err()
    );
    assert!(
        CaParams::new(
            oid,
            CaVersion::V1,
            CaDomain::Ec(Curve::BrainpoolP256r1),
            good.clone(),
            None
        )
        .is_err()
    );
    // Chip: MSE:Set KAT and GENERAL AUTHENTICATE with hostile keys answer 6A80.
    for bad in [
        off.clone(),
        vec![0x00],
        vec![0x04],
        good[..33].to_vec(),
        vec![0x04; 200],
    ] {
        let e = chip
            .set_kat(&[&[0x91, bad.len() as u8][..], &bad].concat())
            .unwrap_err();
        assert_eq!(e.sw(), Some(0x6A80), "{e}");
    }
    let mut v2 = p256_chip(CaVersion::V2, Cipher::Aes128);
    v2.set_at(
        &[
            &[0x80, 0x0A][..],
            ca_oid(KeyAgreement::Ecdh, Cipher::Aes128).as_bytes(),
        ]
        .concat(),
    )
    .unwrap();
    let e = v2
        .general_authenticate(&[&[0x7C, 0x43, 0x80, 0x41][..], &off].concat())
        .unwrap_err();
    assert_eq!(e.sw(), Some(0x6A80));
    // Used up: another GENERAL AUTHENTICATE needs a new MSE:Set AT.
    let e = v2
        .general_authenticate(&[&[0x7C, 0x43, 0x80, 0x41][..], &good].concat())
        .unwrap_err();
    assert_eq!(e.sw(), Some(0x6985));
    for junk in [
        &[][..],
        &[0x7C][..],
        &[0x7C, 0x02, 0x80][..],
        &[0x91, 0x01, 0x04][..],
    ] {
        assert!(chip.set_kat(junk).is_err());
        assert!(chip.set_at(junk).is_err());
        assert!(v2.general_authenticate(junk).is_err());
    }
}

#[test]
fn a_forged_token_and_error_status_words_fail_with_the_step_named() {
    let ca_chip = p256_chip(CaVersion::V2, Cipher::Aes256);
    let params = ca_chip.terminal_params().clone();
    let mut chip = Chip {
        ca: ca_chip,
        sm: None,
        forge_token: true,
    };
    let e = chip_authentication(&mut |c| Ok(chip.process(c)), &params, None).unwrap_err();
    assert!(e.to_string().contains("T_PICC"), "{e}");

    // A key reference the chip does not have: 6A88 at MSE:Set AT.
    let ca_chip = p256_chip(CaVersion::V2, Cipher::Aes128);
    let mut params = ca_chip.terminal_params().clone();
    params.key_id = Some(9);
    let mut chip = Chip {
        ca: ca_chip,
        sm: None,
        forge_token: false,
    };
    let e = chip_authentication(&mut |c| Ok(chip.process(c)), &params, None).unwrap_err();
    assert_eq!(e.sw(), Some(0x6A88));
    assert!(e.to_string().contains("MSE:Set AT"), "{e}");

    // Other failures at each step.
    let ca_chip = p256_chip(CaVersion::V1, Cipher::Tdes);
    let params = ca_chip.terminal_params().clone();
    let e = chip_authentication(&mut |_| Ok(Response::sw(0x6A80)), &params, None).unwrap_err();
    assert!(e.to_string().contains("MSE:Set KAT"), "{e}");
    let v2 = p256_chip(CaVersion::V2, Cipher::Aes128)
        .terminal_params()
        .clone();
    for (answer, what) in [
        (Response::sw(0x6300), "GENERAL AUTHENTICATE"),
        (
            Response::new(h("7C00"), 0x9000),
            "GENERAL AUTHENTICATE response",
        ),
        (
            Response::new(h("7C0A8108000000000000000082"), 0x9000),
            "GENERAL AUTHENTICATE response",
        ),
        (
            Response::new(h("7C0A81020102820401020304"), 0x9000),
            "GENERAL AUTHENTICATE response",
        ),
        (
            Response::new(h("7D00"), 0x9000),
            "GENERAL AUTHENTICATE response",
        ),
        (
            Response::new(h("7C06810201028300"), 0x9000),
            "GENERAL AUTHENTICATE response",
        ),
    ] {
        let mut n = 0;
        let e = chip_authentication(
            &mut |_| {
                n += 1;
                Ok(if n == 1 {
                    Response::sw(0x9000)
                } else {
                    answer.clone()
                })
            },
            &v2,
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains(what), "{e}");
    }
    // Version 1 takes no nonce or token; version 2 cannot use MSE:Set KAT.
    let v1 = p256_chip(CaVersion::V1, Cipher::Aes128)
        .terminal_params()
        .clone();
    let mut n = 0;
    let e = chip_authentication(
        &mut |_| {
            n += 1;
            Ok(Response::new(
                if n == 1 {
                    vec![]
                } else {
                    h("7C0A81020102820401020304")
                },
                0x9000,
            ))
        },
        &v1,
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("version 1"), "{e}");
    let mut bad = v2.clone();
    bad.commands = CaCommands::MseSetKat;
    assert!(chip_authentication(&mut |_| unreachable!(), &bad, None).is_err());
    // MSE:Set KAT is for 3DES: an AES version 1 key is refused before anything is sent.
    let mut aes_kat = CaParams::new(
        ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.2"),
        CaVersion::V1,
        v2.domain.clone(),
        v2.chip_public_key.clone(),
        None,
    )
    .unwrap();
    assert_eq!(aes_kat.commands, CaCommands::MseSetAtGeneralAuthenticate);
    aes_kat.commands = CaCommands::MseSetKat;
    let e = chip_authentication(&mut |_| unreachable!(), &aes_kat, None).unwrap_err();
    assert!(e.to_string().contains("3DES"), "{e}");
    // An OID that is not a CA protocol, or that does not match the key.
    let pk = v2.chip_public_key.clone();
    let d = CaDomain::Ec(Curve::P256);
    assert!(
        CaParams::new(
            dactyl::oids::ID_PK_ECDH,
            CaVersion::V1,
            d.clone(),
            pk.clone(),
            None
        )
        .is_err()
    );
    assert!(
        CaParams::new(
            ca_oid(KeyAgreement::Dh, Cipher::Aes128),
            CaVersion::V1,
            d,
            pk,
            None
        )
        .is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// Active Authentication.

fn dg15_key(dg15: &[u8]) -> PublicKey {
    let outer = asn1::parse_exact(dg15).unwrap();
    PublicKey::from_spki_object(&outer.reader().required("spki").unwrap()).unwrap()
}

#[test]
fn icao_aa_worked_example_message_representative() {
    // VECTORS.md section 10 (ICAO 9303-11 AA worked example): F = 6A || M1 || SHA-1(M1 || RND.IFD) || BC.
    let m1 = h(
        "9D2784A67F8E7C659973EA1AEA25D95B6C8F91E5002F369F0FBDCE8A3CEC1991B543F1696546C5524CF23A5303CD6C98599F40B79F377B5F3A1406B3B4D8F96784D23AA88DB7E1032A405E69325FA91A6E86F5C71AEA978264C4A207446DAD4E7292E2DCDA3024B47DA8",
    );
    let rnd = h("F173589974BF40C6");
    let f = aa::iso9796_2_representative(&m1, &rnd, HashAlgorithm::Sha1);
    assert_eq!(
        hx(&f),
        format!("6A{}C063AA1E6D22FBD976AB0FE73D94D2D9C6D88127BC", hx(&m1))
    );
    assert_eq!(f.len(), 128);
    // gmrtd decodeF vectors: the two-byte trailers of ISO/IEC 10118-3 hash identifiers.
    let m1 = h("1234567890ABCDEF1234567890ABCDEF11223344");
    let rnd = h("0102030405060708");
    for (hash, tail) in [
        (HashAlgorithm::Sha224, "2BD315E47DDBE2045D38CC"),
        (HashAlgorithm::Sha256, "465438F8E1FF13377DE8308934CC"),
        (
            HashAlgorithm::Sha384,
            "C6EAB5804DF4E0A70169D4D0D6C07E7536CC",
        ),
        (
            HashAlgorithm::Sha512,
            "C517D8D3B05F4EEB177E990AE1E80895C8BB28F51635CC",
        ),
    ] {
        assert!(
            hx(&aa::iso9796_2_representative(&m1, &rnd, hash)).ends_with(tail),
            "{hash}"
        );
    }
}

#[test]
fn real_rsa_1792_passport_aa_over_secure_messaging() {
    // gmrtd activeauth/active_auth_test.go TestDoActiveAuth (VECTORS.md section 10).
    let key = dg15_key(&h(
        "6F8201023081FF300D06092A864886F70D01010105000381ED003081E90281E100BB8F93F4DC95E205CDA17C6927AB1E365B13065D03CD12E0FCE95D96840529453202F56CC4C13F77CD062930C8BC89A2873B257045C286E601CF3C09323A53103314902804AA10A314628CE222206A8866946A36B442041BB54AC81E6855DD1D6E16101833D65A191C20AC8B33B8A1A32920F46043F8031CF2BC17417030865FC5BE5A39DEE423BCBA3CA8177168EB23CFE01BA43EC87711B1CFFF85DB46F300DD8AE317B50D543B573E119E23AF7070D0B2FED6A3B2313A5EC02A531AAED1741F4390D1013E2A0F081EAC5DC8B0A1B2C6BDB1206F08D30E3643E1E5BDF536110203010001",
    ));
    let mut s = sm(
        Suite::Tdes,
        "b99d546108eaa251570876b6d3456dce",
        "e3857ca24946251c151c540e13f2cd51",
        "00000000000000cc",
    );
    let out = aa::active_authentication(
        &mut |cmd| {
            assert_eq!(hx(&cmd.to_bytes()?), "008800000896302B0F3D7E786400");
            let wire = s.wrap_command(cmd)?;
            assert_eq!(hx(&wire.to_bytes()?), "0C88000020871101ED7F8CB47A4EEA086324A7F9DD7427809701008E0897F54BAE49AA71F800");
            s.unwrap_response(&Response::parse(&h("8781e901d04ca80f527df94f4a430d3d6e6cb6c2af4c6756c068a93132d147fa27833125304132981b8bd8009448e89f259eec8552b54285cef9d8f1b7fb31b9f279221c7e925f4951811f3fe2e01d76e68dbc7cde9c873c5f61862f3c5469792a72f92c8943b890436f5e9feaead9f2a361fcd7a615493d1b3519865f32ee9a125886588eb21fee0e709353d0731139fdc958d6b2127fad6947b438998b526819803f70f78614cd42f4a6619c6af95dfd2ab09bedf71e707abc39a250aee68006d522ad37d159674984a07d11c001022c853aeb7acdb059ede5721a3b9f20441bda7e242ee8df1369d25316990290008e08fd2493147866f0ed9000"))?)
        },
        &key,
        AaAlgorithm::Rsa,
        Some(h("96302b0f3d7e7864").try_into().unwrap()),
    )
    .unwrap();
    // A real chip: 224-byte signature, two-byte trailer 34CC (SHA-256).
    assert_eq!(out.hash, HashAlgorithm::Sha256);
    assert!(hx(&out.signature).starts_with("474256306840C0AB"));
    assert_eq!(s.ssc(), h("00000000000000ce"));
    // The same signature against another challenge or the BSI key fails.
    assert!(aa::verify(&key, AaAlgorithm::Rsa, &[0; 8], &out.signature).is_err());
    let bsi = dg15_key(&fixture("Datagroup15.bin"));
    assert!(aa::verify(&bsi, AaAlgorithm::Rsa, &out.challenge, &out.signature).is_err());
}

fn run_aa(chip: &AaKey, key: &PublicKey, alg: AaAlgorithm) -> Result<aa::AaOutcome> {
    aa::active_authentication(
        &mut |cmd| {
            assert_eq!((cmd.ins, cmd.data.len(), cmd.le), (0x88, 8, Some(256)));
            Ok(Response::new(
                chip.internal_authenticate(&cmd.data)?,
                0x9000,
            ))
        },
        key,
        alg,
        None,
    )
}

#[test]
fn bsi_reference_passport_aa_round_trip_and_substituted_key() {
    let chip = AaKey::from_pkcs8_der(&fixture("DG15_sk.pkcs8")).unwrap();
    let key = dg15_key(&fixture("Datagroup15.bin"));
    assert_eq!(chip.public_key().unwrap(), key);
    assert_eq!(key.bits(), 1024);
    let alg = AaAlgorithm::for_key(&key, None).unwrap();
    let out = run_aa(&chip, &key, alg).unwrap();
    assert_eq!((out.signature.len(), out.hash), (128, HashAlgorithm::Sha1));
    // Two-byte trailers verify too.
    for hash in [
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
    ] {
        let sig = chip.sign_rsa(&out.challenge, hash).unwrap();
        assert_eq!(aa::verify(&key, alg, &out.challenge, &sig).unwrap(), hash);
    }
    // Another RSA key (a real passport's DG15 modulus) does not verify the BSI chip.
    let other = PublicKey::Rsa {
        n: h(
            "BB8F93F4DC95E205CDA17C6927AB1E365B13065D03CD12E0FCE95D96840529453202F56CC4C13F77CD062930C8BC89A2873B257045C286E601CF3C09323A53103314902804AA10A314628CE222206A8866946A36B442041BB54AC81E6855DD1D6E16101833D65A191C20AC8B33B8A1A32920F46043F8031CF2BC17417030865FC5BE5A39DEE423BCBA3CA8177168EB23CFE01BA43EC87711B1CFFF85DB46F300DD8AE317B50D543B573E119E23AF7070D0B2FED6A3B2313A5EC02A531AAED1741F4390D1013E2A0F081EAC5DC8B0A1B2C6BDB1206F08D30E3643E1E5BDF53611",
        ),
        e: vec![1, 0, 1],
    };
    assert!(run_aa(&chip, &other, AaAlgorithm::Rsa).is_err());
    // A tampered signature fails, wherever the flip is.
    for i in [0, 64, 127] {
        let mut bad = out.signature.clone();
        bad[i] ^= 0x10;
        assert!(
            aa::verify(&key, alg, &out.challenge, &bad).is_err(),
            "byte {i}"
        );
    }
}

#[test]
fn ecdsa_aa_round_trips_plain_and_der() {
    for curve in [
        Curve::P256,
        Curve::BrainpoolP256r1,
        Curve::BrainpoolP224r1,
        Curve::P384,
    ] {
        let scalar = CaDomain::Ec(curve).random_private_key().unwrap();
        let chip = AaKey::Ec { curve, scalar };
        let key = chip.public_key().unwrap();
        // Without ActiveAuthenticationInfo: the curve-size hash.
        let out = run_aa(&chip, &key, AaAlgorithm::for_key(&key, None).unwrap()).unwrap();
        assert_eq!(out.signature.len(), 2 * curve.field_len());
        assert_eq!(out.hash, aa::curve_hash(curve));
        for (oid, hash) in [
            ("0.4.0.127.0.7.1.1.4.1.3", HashAlgorithm::Sha256),
            ("0.4.0.127.0.7.1.1.4.1.1", HashAlgorithm::Sha1),
        ] {
            let alg = AaAlgorithm::from_oid(&oid.parse().unwrap()).unwrap();
            assert_eq!(alg, AaAlgorithm::Ecdsa(Some(hash)));
            for format in [EcdsaFormat::Plain, EcdsaFormat::Der] {
                let sig = chip.sign_ecdsa(&out.challenge, hash, format).unwrap();
                assert_eq!(
                    format == EcdsaFormat::Der,
                    sig[0] == 0x30 && sig.len() != 2 * curve.field_len()
                );
                assert_eq!(
                    aa::verify(&key, alg, &out.challenge, &sig).unwrap(),
                    hash,
                    "{curve}"
                );
                let mut bad = sig.clone();
                let last = bad.len() - 1;
                bad[last] ^= 1;
                assert!(aa::verify(&key, alg, &out.challenge, &bad).is_err());
                assert!(aa::verify(&key, alg, &[9; 8], &sig).is_err());
            }
        }
        // The right signature under another key fails.
        let other = AaKey::Ec {
            curve,
            scalar: CaDomain::Ec(curve).random_private_key().unwrap(),
        };
        assert!(
            aa::verify(
                &other.public_key().unwrap(),
                AaAlgorithm::Ecdsa(None),
                &out.challenge,
                &out.signature
            )
            .is_err()
        );
    }
}

#[test]
fn hostile_signatures_and_answers_are_errors_not_panics() {
    let rsa = dg15_key(&fixture("Datagroup15.bin"));
    let scalar = CaDomain::Ec(Curve::P256).random_private_key().unwrap();
    let ec = AaKey::Ec {
        curve: Curve::P256,
        scalar,
    }
    .public_key()
    .unwrap();
    let c = [7u8; 8];
    let mut cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0],
        vec![0x6A],
        vec![0xFF; 128],
        vec![0xFF; 129],
        vec![0; 10_000],
        vec![0x30],
        h("3006020100020100"),
        h("30080201010201010500"),
        vec![0x30; 64],
    ];
    cases.push(vec![0; 65]);
    for sig in &cases {
        assert!(
            aa::verify(&rsa, AaAlgorithm::Rsa, &c, sig).is_err(),
            "{}",
            sig.len()
        );
        assert!(
            aa::verify(&ec, AaAlgorithm::Ecdsa(None), &c, sig).is_err(),
            "{}",
            sig.len()
        );
    }
    assert!(aa::verify(&rsa, AaAlgorithm::Ecdsa(None), &c, &[1; 64]).is_err());
    assert!(aa::verify(&ec, AaAlgorithm::Rsa, &c, &[1; 64]).is_err());
    let tiny = PublicKey::Rsa {
        n: vec![0xFF; 8],
        e: vec![3],
    };
    assert!(aa::verify(&tiny, AaAlgorithm::Rsa, &c, &[1; 8]).is_err());
    // Non-9000 status words and a chip that answers nothing.
    for answer in [
        Response::sw(0x6982),
        Response::sw(0x6D00),
        Response::sw(0x9000),
    ] {
        let e =
            aa::active_authentication(&mut |_| Ok(answer.clone()), &rsa, AaAlgorithm::Rsa, None)
                .unwrap_err();
        assert!(
            matches!(e, Error::Status { .. } | Error::Protocol { .. }),
            "{e}"
        );
    }
    // The chip refuses challenges that are not 8 bytes.
    let chip = AaKey::from_pkcs8_der(&fixture("DG15_sk.pkcs8")).unwrap();
    for bad in [&[][..], &[1; 7][..], &[1; 9][..]] {
        assert_eq!(
            chip.internal_authenticate(bad).unwrap_err().sw(),
            Some(0x6700)
        );
    }
    assert!(AaKey::from_pkcs8_der(&[0x30, 0x00]).is_err());
    assert!(AaKey::from_pkcs8_der(&fixture("Datagroup15.bin")).is_err());
    assert!(matches!(
        AaKey::from_pkcs8_der(&fixture("DG14_sk.pkcs8")).unwrap(),
        AaKey::Ec {
            curve: Curve::BrainpoolP224r1,
            ..
        }
    ));
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    fn chips() -> (CaChip, CaChip, PublicKey, PublicKey) {
        let kat = p256_chip(CaVersion::V1, Cipher::Tdes);
        let ga = p256_chip(CaVersion::V2, Cipher::Aes128);
        let rsa = dg15_key(&fixture("Datagroup15.bin"));
        let ec = AaKey::Ec {
            curve: Curve::P256,
            scalar: CaDomain::Ec(Curve::P256).private_key(&[7]).unwrap(),
        };
        (kat, ga, rsa, ec.public_key().unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Arbitrary command data for the chip, answers for the terminal, signatures for AA.
        #[test]
        fn hostile_bytes_are_errors(data in proptest::collection::vec(any::<u8>(), 0..300), tag in any::<u8>()) {
            let (kat, mut ga, rsa, ec) = chips();
            let wrapped = [&[0x7C, data.len().min(0x7F) as u8, 0x80][..], &data].concat();
            let _ = kat.set_kat(&data);
            let _ = kat.set_kat(&[&[tag, data.len().min(0x7F) as u8][..], &data].concat());
            let _ = ga.set_at(&data);
            let _ = ga.general_authenticate(&data);
            let oid = ca_oid(KeyAgreement::Ecdh, Cipher::Aes128);
            ga.set_at(&[&[0x80, 0x0A][..], oid.as_bytes()].concat()).unwrap();
            let _ = ga.general_authenticate(&wrapped);
            let params = ga.terminal_params().clone();
            let mut n = 0;
            let r = chip_authentication(&mut |_| { n += 1; Ok(Response::new(data.clone(), 0x9000)) }, &params, None);
            prop_assert!(r.is_err() || data.is_empty());
            let _ = CaDomain::Dh { p: data.clone(), g: vec![2], q: None }.random_private_key();
            let _ = CaDomain::Dh { p: vec![0xFF; 8], g: data.clone(), q: Some(data.clone()) }.check_public_key(&data);
            prop_assert!(aa::verify(&rsa, AaAlgorithm::Rsa, &[1; 8], &data).is_err());
            prop_assert!(aa::verify(&ec, AaAlgorithm::Ecdsa(None), &[1; 8], &data).is_err());
            let _ = AaKey::from_pkcs8_der(&data);
        }
    }
}
