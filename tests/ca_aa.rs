//! Chip Authentication, both roles: the BSI EAC worked example (CA part), real passports' CA
//! transcripts (gmrtd), the BSI reference passport's DG14 key, terminal-against-chip round trips
//! over secure messaging on several curves, ciphers and DH, and hostile input to CA and AA
//! (Active Authentication's own tests are in tests/aa.rs).

use dactyl::access::aa::{self, AaAlgorithm, AaKey};
use dactyl::access::ca::{
    self, CaChip, CaCommands, CaDomain, CaParams, CaVersion, chip_authentication,
};
use dactyl::apdu::{Command, Response};
use dactyl::asn1;
use dactyl::crypto::ec::Curve;
use dactyl::crypto::keys::PublicKey;
use dactyl::emulator::refusal::status_word;
use dactyl::iso7816::refusal::ChipError;
use dactyl::oids::{Cipher, DhGroup, KeyAgreement};
use dactyl::sm::{SecureMessaging, Suite, sm_error_status};
use dactyl::{Error, Result};
use der::asn1::ObjectIdentifier;

#[path = "common/chip_auth.rs"]
#[allow(dead_code)]
mod chip_auth;
use chip_auth::*;

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
        let fail = |e: ChipError| (Response::sw(status_word(e.kind)), None);
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
        assert_eq!(status_word(e.kind), 0x6A80, "{e}");
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
    assert_eq!(status_word(e.kind), 0x6A80);
    // Used up: another GENERAL AUTHENTICATE needs a new MSE:Set AT.
    let e = v2
        .general_authenticate(&[&[0x7C, 0x43, 0x80, 0x41][..], &good].concat())
        .unwrap_err();
    assert_eq!(status_word(e.kind), 0x6985);
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
