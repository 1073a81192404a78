//! PACE against the worked examples of ICAO Doc 9303-11 (Appendices G.1, G.2, H.1, H.2, I) and
//! the BSI EAC worked example, byte for byte, on the terminal side (replaying the chip's answers) and on
//! the chip side (fixed nonces and keys), and terminal against chip.

use dactyl::access::pace::crypto::{self, Password};
use dactyl::access::pace::dh::DhParams;
use dactyl::access::pace::{
    ChipPassword, FixedRandomness, PaceChip, PaceDomain, PaceSuite, establish, establish_fixed,
};
use dactyl::apdu::{Command, Response};
use dactyl::crypto::ec::Curve;
use dactyl::emulator::refusal::status_word;
use dactyl::lds::mrz::MrzKeyInfo;
use dactyl::oids::{Cipher, DhGroup, PaceProtocol};
use der::asn1::ObjectIdentifier;
use num_bigint::BigUint;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn suite(oid: &str, domain: impl Into<PaceDomain>) -> PaceSuite {
    PaceSuite::new(
        PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap(oid)).unwrap(),
        domain,
    )
}

const GM_AES128: &str = "0.4.0.127.0.7.2.2.4.2.2";
const IM_AES128: &str = "0.4.0.127.0.7.2.2.4.4.2";
const CAM_AES128: &str = "0.4.0.127.0.7.2.2.4.6.2";

/// Replays chip answers, recording the terminal's commands.
struct Replay {
    answers: Vec<Vec<u8>>,
    sent: Vec<String>,
}

impl Replay {
    fn new(answers: &[&str]) -> Self {
        Replay {
            answers: answers.iter().map(|a| h(a)).collect(),
            sent: Vec::new(),
        }
    }
    fn transmit(&mut self, cmd: &Command) -> dactyl::Result<Response> {
        self.sent.push(hex::encode_upper(cmd.to_bytes()?));
        Response::parse(&self.answers.remove(0))
    }
}

// ICAO 9303-11 App. G.1 (VECTORS.md section 4).
const G1_MRZ: (&str, &str, &str) = ("T22000129", "640812", "101031");
const G1_ANSWERS: [&str; 5] = [
    "9000",
    "7C12801095A3A016522EE98D01E76CB6B98B42C39000",
    "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000",
    "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000",
    "7C0A86083ABB9674BCE93C089000",
];

fn g1_password() -> Password {
    Password::Mrz(MrzKeyInfo::new(G1_MRZ.0, G1_MRZ.1, G1_MRZ.2).unwrap())
}

#[test]
fn generic_mapping_g1_terminal_side_byte_for_byte() {
    let pw = g1_password();
    assert_eq!(
        hex::encode_upper(&*pw.key()),
        "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"
    );
    assert_eq!(
        hex::encode_upper(&*pw.pi_key(Cipher::Aes128)),
        "89DED1B26624EC1E634C1989302849DD"
    );
    let mut replay = Replay::new(&G1_ANSWERS);
    let fixed = FixedRandomness {
        mapping_key: Some(h(
            "7F4EF07B9EA82FD78AD689B38D0BC78CF21F249D953BC46F4C6E19259C010F99",
        )),
        nonce: None,
        ephemeral_key: Some(h(
            "A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595",
        )),
    };
    let out = establish_fixed(
        &mut |c| replay.transmit(c),
        &pw,
        suite(GM_AES128, Curve::BrainpoolP256r1),
        false,
        &fixed,
    )
    .unwrap();
    assert_eq!(replay.sent[0], "0022C1A40F800A04007F00070202040202830101");
    assert_eq!(replay.sent[1], "10860000027C0000");
    assert_eq!(
        replay.sent[2],
        "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00"
    );
    assert_eq!(
        replay.sent[3],
        "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200"
    );
    assert_eq!(replay.sent[4], "008600000C7C0A8508C2B0BD78D94BA86600");
    assert_eq!(
        hex::encode_upper(out.0.ssc()),
        "00000000000000000000000000000000"
    );
}

#[test]
fn generic_mapping_g1_chip_side_byte_for_byte() {
    let fixed = FixedRandomness {
        mapping_key: Some(h(
            "498FF49756F2DC1587840041839A85982BE7761D14715FB091EFA7BCE9058560",
        )),
        nonce: Some(h("3F00C4D39D153F2B2A214A078D899B22")),
        ephemeral_key: Some(h(
            "107CF58696EF6155053340FD633392BA81909DF7B9706F226F32086C7AFF974A",
        )),
    };
    let passwords = ChipPassword {
        mrz: Some(MrzKeyInfo::new(G1_MRZ.0, G1_MRZ.1, G1_MRZ.2).unwrap()),
        can: None,
    };
    let mut chip = PaceChip::new(
        vec![suite(GM_AES128, Curve::BrainpoolP256r1)],
        passwords,
        None,
    )
    .with_fixed_randomness(fixed);
    chip.mse_set_at(&h("800A04007F00070202040202830101"))
        .unwrap();
    let commands = [
        "10860000027C0000",
        "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
        "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200",
        "008600000C7C0A8508C2B0BD78D94BA86600",
    ];
    for (cmd, answer) in commands.iter().zip(&G1_ANSWERS[1..]) {
        let (data, _) = chip
            .general_authenticate(&Command::parse(&h(cmd)).unwrap())
            .unwrap();
        let expected = &answer[..answer.len() - 4];
        assert_eq!(hex::encode_upper(data), *expected);
    }
}

#[test]
fn integrated_mapping_h1_values() {
    // ICAO 9303-11 App. H.1 (VECTORS.md section 6): Kπ is given, not derived.
    let pi = h("591468CDA83D65219CCCB8560233600F");
    let s =
        crypto::cbc_decrypt(Cipher::Aes128, &pi, &h("143DC40C08C8E891FBED7DEDB92B64AD")).unwrap();
    assert_eq!(hex::encode_upper(&s), "2923BE84E16CD6AE529049F1F1BBE9EB");
    let params = Curve::BrainpoolP256r1.params();
    let t = h("5DD4CBFC96F5453B130D890A1CDBAE32");
    let r = crypto::prf(Cipher::Aes128, &s, &t, &params.p).unwrap();
    assert_eq!(
        hex::encode_upper(&*r),
        "E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322"
    );
    let g_hat = crypto::integrated_mapping(params, Cipher::Aes128, &s, &t).unwrap();
    assert_eq!(
        hex::encode_upper(params.encode_point(&g_hat)),
        "048E82D31559ED0FDE92A4D0498ADD3C23BABA94FB77691E31E90AEA77FB17D4274C1AE14BD0C3DBAC0C871B7F3608169364437CA30AC243A089D3F266C1E60FAD"
    );
    let sk = h("A73FB703AC1436A18E0CFA5ABB3F7BEC7A070E7A6788486BEE230C4A22762595");
    let pk = params.encode_point(&crypto::mul_secret(params, &g_hat, &sk));
    assert_eq!(
        hex::encode_upper(&pk),
        "0489CBA23FFE96AA18D824627C3E934E54A9FD0B87A95D1471DC1C0ABFDCD640D46755DE9B7B778280B6BEBD57439ADFEB0E21FD4ED6DF42578C13418A59B34C37"
    );
    let chip_pk = h(
        "0467F78E5F7F7686082B293E8D087E056916D0F74BC01A5F8957D0DE45691E51E8932B69A962B52A0985AD2C0A271EE6A13A8ADDDCD1A3A994B9DED257F4D22753",
    );
    let k = crypto::shared_secret(
        params,
        &crypto::mul_secret(params, &params.decode_point(&chip_pk).unwrap(), &sk),
    )
    .unwrap();
    assert_eq!(
        hex::encode_upper(&*k),
        "4F150FDE1D4F0E38E95017B891BAE17133A0DF45B0D3E18B60BA7BEAFDC2C713"
    );
    let (_, ks_enc, ks_mac) = crypto::session(Cipher::Aes128, &k).unwrap();
    assert_eq!(
        hex::encode_upper(&*ks_enc),
        "0D3FEB33251A6370893D62AE8DAAF51B"
    );
    assert_eq!(
        hex::encode_upper(&*ks_mac),
        "B01E89E3D9E8719E586B50B4A7506E0B"
    );
    let oid = ObjectIdentifier::new_unwrap(IM_AES128);
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &chip_pk).unwrap()),
        "450F02B86F6A0909"
    );
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &pk).unwrap()),
        "75D4D96E8D5B0308"
    );
}

#[test]
fn chip_authentication_mapping_appendix_i_terminal_side() {
    // VECTORS.md section 8: the BSI reference passport's MRZ, brainpoolP256r1, AES-128.
    let pw = Password::Mrz(MrzKeyInfo::new("C11T002JM", "960812", "231031").unwrap());
    let mut replay = Replay::new(&[
        "9000",
        "7C128010CB60E8E0D85B76A9BD304747C2AD42E29000",
        "7C43824104A234236AA9B9621E8EFB73B5245C0E09D2576E5277183C1208BDD55280CAE8B304F365713A356E65A451E165ECC9AC0AC46E3771342C8FE5AEDD092685338E239000",
        "7C4384410402AD566F3C6EC7F9324509AD50A51FA52030782A4968FCFEDF737DAEA993333111C3B9B4C2287789BD137E7F8AA882E2A3C633CCD6ECC2C63C57AD401A09C2E19000",
        "7C3C86088596CF055C67C1A38A301EEA964DAAE372AC990E3EFDE6333353BFC89A6704D93DA8798CF77F5B7A54BD10CBA372B42BE0B9B5F28AA8DE2F4F929000",
    ]);
    let fixed = FixedRandomness {
        mapping_key: Some(h(
            "5D8BB87BD74D985A4B7D4325B9F7B976FE835122773400798914AA22738135CC",
        )),
        nonce: None,
        ephemeral_key: Some(h(
            "76ECFDAA9841C323A3F5FC5E88B88DB3EFF7E35EBF57A7E6946CB630006C2120",
        )),
    };
    let out = establish_fixed(
        &mut |c| replay.transmit(c),
        &pw,
        suite(CAM_AES128, Curve::BrainpoolP256r1),
        false,
        &fixed,
    )
    .unwrap();
    assert_eq!(replay.sent[0], "0022C1A40F800A04007F00070202040602830101");
    assert_eq!(replay.sent[4], "008600000C7C0A8508E86BD06018A1CD3B00");
    assert_eq!(
        hex::encode_upper(out.1.cam_data.unwrap()),
        "85DC3FA93D0952BFA82F5FD189EE75BD82F11D1F0B8ED4BF5319AC9B53C426B3"
    );
}

#[test]
fn bsi_eac_worked_example_pace_part() {
    // VECTORS.md section 9: PACE with PIN 123456 (treated like a CAN: its digits are K).
    let pw = Password::can("123456").unwrap();
    let pi = pw.pi_key(Cipher::Aes128);
    let s =
        crypto::cbc_decrypt(Cipher::Aes128, &pi, &h("CE834CDE69FFBB1D1EB21585CD709F18")).unwrap();
    assert_eq!(hex::encode_upper(&s), "7D98C00FC6C9E9543BBF94A87073A123");
    let params = Curve::BrainpoolP256r1.params();
    let chip_map = params.decode_point(&h("049CFCF7582AC986D0DD52FA53123414C3E1B96B4D00ABA8E574679B70EFB5BC3B45D2F13729CC2AE178E7E241B443213533B77DBB44649A815DDC4A2384BA422A")).unwrap();
    let g_hat = crypto::generic_mapping(
        params,
        &s,
        &h("752287F5B02DE3C4BC3E17945118C51B23C97278E4CD748048AC56BA5BDC3D46"),
        &chip_map,
    )
    .unwrap();
    assert_eq!(
        hex::encode_upper(params.encode_point(&g_hat)),
        "043929D28BA1E5339D6C5DADE5E33BD3C2F0BD14DD77C7521532261659C918FA6014DD48FA84E62BDE438EDB4C9771D042CDB24B7788BDBAB2031C45751E777F66"
    );
    let chip_eph = h(
        "04282CF38073036AFAC216AF135BD994DA0C357F10BD4C34AFEA1042B2EB0FD6804DF3658B835AC2E7133F13691184542BB50B109963A4662ABDC08B9763AF4B5B",
    );
    let sk = h("009D9A32DF93A57CCE33CA3CDD3457E33A976F293546C73550F397259C93BE0120");
    let k = crypto::shared_secret(
        params,
        &crypto::mul_secret(params, &params.decode_point(&chip_eph).unwrap(), &sk),
    )
    .unwrap();
    assert_eq!(
        hex::encode_upper(&*k),
        "6E7D077CCD367C2EAA683F1E8EC534302E2D00B6ADAF8A87A6EDA78740F17606"
    );
    let (_, ks_enc, ks_mac) = crypto::session(Cipher::Aes128, &k).unwrap();
    assert_eq!(
        hex::encode_upper(&*ks_enc),
        "68406B4162100563D9C901A6154D2901"
    );
    assert_eq!(
        hex::encode_upper(&*ks_mac),
        "73FF268784F72AF833FDC9464049AFC9"
    );
    let oid = ObjectIdentifier::new_unwrap(GM_AES128);
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &chip_eph).unwrap()),
        "A27AE7B36573C1D9"
    );
    let pcd_eph = h(
        "04518BC4E532AD2A9BD6527804D5D665ABD51041037A0CC8AA922804EB501C222B3427388599AFAAE9FBACE2DF93E13C3C4979CD12F0AE3E3C0126028391554582",
    );
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &pcd_eph).unwrap()),
        "A2658C2F38600B0F"
    );
}

// ICAO 9303-11 App. G.2 (VECTORS.md section 5): DH Generic Mapping on the RFC 5114 1024-bit
// group (parameter id 0), AES-128, the MRZ of App. G.1.
const DH_GM_AES128: &str = "0.4.0.127.0.7.2.2.4.1.2";
const DH_IM_AES128: &str = "0.4.0.127.0.7.2.2.4.3.2";
const G2_Z: &str = "854D8DF5827FA6852D1A4FA701CDDDCA";
const G2_S: &str = "FA5B7E3E49753A0DB9178B7B9BD898C8";
const G2_TERMINAL_MAP_SK: &str = "5265030F751F4AD18B08AC565FC7AC952E41618D";
const G2_TERMINAL_MAP_PK: &str = "23FB3749EA030D2A25B278D2A562047ADE3F01B74F17A15402CB7352CA7D2B3EB71C343DB13D1DEBCE9A3666DBCFC920B49174A602CB47965CAA73DC702489A44D41DB914DE9613DC5E98C94160551C0DF86274B9359BC0490D01B03AD54022DCB4F57FAD6322497D7A1E28D46710F461AFE710FBBBC5F8BA166F4311975EC6C";
const G2_CHIP_MAP_SK: &str = "66DDAFEAC1609CB5B963BB0CB3FF8B3E047F336C";
const G2_CHIP_MAP_PK: &str = "78879F57225AA8080D52ED0FC890A4B25336F699AA89A2D3A189654AF70729E623EA5738B26381E4DA19E004706FACE7B235C2DBF2F38748312F3C98C2DD4882A41947B324AA1259AC22579DB93F7085655AF30889DBB845D9E6783FE42C9F2449400306254C8AE8EE9DD812A804C0B66E8CAFC14F84D8258950A91B44126EE6";
const G2_G_HAT: &str = "7C9CBFE98F9FBDDA8D143506FA7D9306F4CB17E3C71707AFF5E1C1A12370249684D64EE37AF44B8DBD9D45BF6023919CBAA027AB97ACC771666C8E98FF483301BFA4872DEDE9034EDFACB70814166B7F360676829B826BEA57291B5AD69FBC84EF1E779032A305803F74341793E869742D401325B37EE8565FFCDEE618342DC5";
const G2_TERMINAL_EPH_SK: &str = "89CCD99B0E8D3B1F11E1296DCA68EC53411CF2CA";
const G2_TERMINAL_EPH_PK: &str = "907D89E2D425A178AA81AF4A7774EC8E388C115CAE67031E85EECE520BD911551B9AE4D04369F29A02626C86FBC6747CC7BC352645B6161A2A42D44EDA80A08FA8D61B76D3A154AD8A5A51786B0BC07147057871A922212C5F67F43173172236B7747D1671E6D692A3C7D40A0C3C5CE397545D015C175EB5130551EDBC2EE5D4";
const G2_CHIP_EPH_PK: &str = "075693D9AE941877573E634B6E644F8E60AF17A0076B8B123D9201074D36152BD8B3A213F53820C42ADC79AB5D0AEEC3AEFB91394DA476BD97B9B14D0A65C1FC71A0E019CB08AF55E1F729005FBA7E3FA5DC41899238A250767A6D46DB974064386CD456743585F8E5D90CC8B4004B1F6D866C79CE0584E49687FF61BC29AEA1";
const G2_K: &str = "6BABC7B3A72BCD7EA385E4C62DB2625BD8613B24149E146A629311C4CA6698E38B834B6A9E9CD7184BA8834AFF5043D436950C4C1E7832367C10CB8C314D40E5990B0DF7013E64B4549E2270923D06F08CFF6BD3E977DDE6ABE4C31D55C0FA2E465E553E77BDF75E3193D3834FC26E8EB1EE2FA1E4FC97C18C3F6CFFFE2607FD";

/// A GENERAL AUTHENTICATE command (CLA 10 unless `last`) or response data carrying a 128-byte
/// DH value under `tag`: `7C 81 83 <tag> 81 80 <value>`.
fn dh_template(tag: &str, value: &str) -> String {
    format!("7C8183{tag}8180{value}")
}

fn g2_answers() -> Vec<String> {
    vec![
        "9000".into(),
        format!("7C1280{:02X}{G2_Z}9000", G2_Z.len() / 2),
        format!("{}9000", dh_template("82", G2_CHIP_MAP_PK)),
        format!("{}9000", dh_template("84", G2_CHIP_EPH_PK)),
        "7C0A8608917F37B5C0E6D8D19000".into(),
    ]
}

fn g2_terminal_keys() -> FixedRandomness {
    FixedRandomness {
        mapping_key: Some(h(G2_TERMINAL_MAP_SK)),
        nonce: None,
        ephemeral_key: Some(h(G2_TERMINAL_EPH_SK)),
    }
}

#[test]
fn dh_generic_mapping_g2_terminal_side_byte_for_byte() {
    let pw = g1_password();
    assert_eq!(
        hex::encode_upper(&*pw.pi_key(Cipher::Aes128)),
        "89DED1B26624EC1E634C1989302849DD"
    );
    let answers = g2_answers();
    let mut replay = Replay::new(&answers.iter().map(String::as_str).collect::<Vec<_>>());
    let (sm, out) = establish_fixed(
        &mut |c| replay.transmit(c),
        &pw,
        suite(DH_GM_AES128, DhGroup::Modp1024_160),
        false,
        &g2_terminal_keys(),
    )
    .unwrap();
    assert_eq!(replay.sent[0], "0022C1A40F800A04007F00070202040102830101");
    assert_eq!(replay.sent[1], "10860000027C0000");
    assert_eq!(
        replay.sent[2],
        format!("1086000086{}00", dh_template("81", G2_TERMINAL_MAP_PK))
    );
    assert_eq!(
        replay.sent[3],
        format!("1086000086{}00", dh_template("83", G2_TERMINAL_EPH_PK))
    );
    assert_eq!(replay.sent[4], "008600000C7C0A8508B46DD9BD4D98381F00");
    assert_eq!(hex::encode_upper(sm.ssc()), "00".repeat(16));
    assert_eq!(out.chip_mapping_public, Some(h(G2_CHIP_MAP_PK)));
    assert_eq!(out.suite.parameter_id(), 0);

    // Naming the parameters adds 84 01 00 to MSE:Set AT.
    let mut replay = Replay::new(&answers.iter().map(String::as_str).collect::<Vec<_>>());
    establish_fixed(
        &mut |c| replay.transmit(c),
        &pw,
        suite(DH_GM_AES128, DhGroup::Modp1024_160),
        true,
        &g2_terminal_keys(),
    )
    .unwrap();
    assert_eq!(
        replay.sent[0],
        "0022C1A412800A04007F00070202040102830101840100"
    );
}

#[test]
fn dh_generic_mapping_g2_values() {
    let pi = g1_password().pi_key(Cipher::Aes128);
    let s = crypto::cbc_decrypt(Cipher::Aes128, &pi, &h(G2_Z)).unwrap();
    assert_eq!(hex::encode_upper(&s), G2_S);
    let dh = DhParams::of(DhGroup::Modp1024_160);
    let domain = PaceDomain::Dh(DhGroup::Modp1024_160);
    let g = crypto::Generator::standard(domain);
    assert_eq!(
        hex::encode_upper(g.public_key(&h(G2_TERMINAL_MAP_SK)).unwrap()),
        G2_TERMINAL_MAP_PK
    );
    assert_eq!(
        hex::encode_upper(g.public_key(&h(G2_CHIP_MAP_SK)).unwrap()),
        G2_CHIP_MAP_PK
    );
    // Both sides reach the same ĝ = g^s · h.
    let g_hat = crypto::map_generic(
        domain,
        &s,
        &h(G2_TERMINAL_MAP_SK),
        &h(G2_CHIP_MAP_PK),
        "chip",
    )
    .unwrap();
    assert_eq!(hex::encode_upper(g_hat.encode()), G2_G_HAT);
    let chip_g_hat = dh
        .generic_mapping(&s, &h(G2_CHIP_MAP_SK), &h(G2_TERMINAL_MAP_PK))
        .unwrap();
    assert_eq!(hex::encode_upper(dh.encode(&chip_g_hat)), G2_G_HAT);
    assert_eq!(
        hex::encode_upper(g_hat.public_key(&h(G2_TERMINAL_EPH_SK)).unwrap()),
        G2_TERMINAL_EPH_PK
    );
    let k = crypto::agree(domain, &h(G2_TERMINAL_EPH_SK), &h(G2_CHIP_EPH_PK), "chip").unwrap();
    assert_eq!(hex::encode_upper(&*k), G2_K);
    let (_, ks_enc, ks_mac) = crypto::session(Cipher::Aes128, &k).unwrap();
    assert_eq!(
        hex::encode_upper(&*ks_enc),
        "2F7F46ADCC9E7E521B45D192FAFA9126"
    );
    assert_eq!(
        hex::encode_upper(&*ks_mac),
        "805A1D27D45A5116F73C54469462B7D8"
    );
    let oid = ObjectIdentifier::new_unwrap(DH_GM_AES128);
    assert_eq!(
        hex::encode_upper(crypto::public_key_object(&oid, &h(G2_CHIP_EPH_PK))),
        format!("7F49818F060A04007F00070202040102848180{G2_CHIP_EPH_PK}")
    );
    assert_eq!(
        hex::encode_upper(
            crypto::token(Cipher::Aes128, &ks_mac, &oid, &h(G2_CHIP_EPH_PK)).unwrap()
        ),
        "B46DD9BD4D98381F"
    );
    assert_eq!(
        hex::encode_upper(
            crypto::token(Cipher::Aes128, &ks_mac, &oid, &h(G2_TERMINAL_EPH_PK)).unwrap()
        ),
        "917F37B5C0E6D8D1"
    );
}

#[test]
fn dh_generic_mapping_g2_chip_side() {
    // The chip's ephemeral private key is not published: the chip runs with the example's
    // nonce and mapping key and a random ephemeral key; its first two answers are the example's
    // byte for byte, and the terminal with the example's keys completes PACE against it.
    let fixed = FixedRandomness {
        mapping_key: Some(h(G2_CHIP_MAP_SK)),
        nonce: Some(h(G2_S)),
        ephemeral_key: None,
    };
    let passwords = ChipPassword {
        mrz: Some(MrzKeyInfo::new(G1_MRZ.0, G1_MRZ.1, G1_MRZ.2).unwrap()),
        can: None,
    };
    let new_chip = || {
        PaceChip::new(
            vec![suite(DH_GM_AES128, DhGroup::Modp1024_160)],
            passwords.clone(),
            None,
        )
        .with_fixed_randomness(fixed.clone())
    };
    let mut chip = new_chip();
    chip.mse_set_at(&h("800A04007F00070202040102830101"))
        .unwrap();
    let answers = g2_answers();
    let gm = |cmd: String| Command::parse(&h(&cmd)).unwrap();
    let (data, _) = chip
        .general_authenticate(&gm("10860000027C0000".into()))
        .unwrap();
    assert_eq!(hex::encode_upper(data), answers[1][..answers[1].len() - 4]);
    let (data, _) = chip
        .general_authenticate(&gm(format!(
            "1086000086{}00",
            dh_template("81", G2_TERMINAL_MAP_PK)
        )))
        .unwrap();
    assert_eq!(hex::encode_upper(data), answers[2][..answers[2].len() - 4]);
    let (data, _) = chip
        .general_authenticate(&gm(format!(
            "1086000086{}00",
            dh_template("83", G2_TERMINAL_EPH_PK)
        )))
        .unwrap();
    // 7C 81 83 84 81 80 <chip ephemeral public value>, in the subgroup of order q.
    assert_eq!(data.len(), 6 + 128);
    assert_eq!(hex::encode_upper(&data[..6]), "7C8183848180");
    DhParams::of(DhGroup::Modp1024_160)
        .check_public(&data[6..], "chip ephemeral key")
        .unwrap();
    // The example's T_IFD is over the example's chip key, not this one: 6300.
    assert_eq!(
        chip.general_authenticate(&gm("008600000C7C0A8508B46DD9BD4D98381F00".into()))
            .map_err(|e| status_word(e.kind))
            .unwrap_err(),
        0x6300
    );

    // Terminal (example keys) against chip (example nonce and mapping key).
    let mut chip = new_chip();
    let mut sent = Vec::new();
    let mut transmit = |cmd: &Command| -> dactyl::Result<Response> {
        sent.push(hex::encode_upper(cmd.to_bytes()?));
        let resp = match cmd.ins {
            0x22 => chip.mse_set_at(&cmd.data).map(|_| Vec::new()),
            _ => chip.general_authenticate(cmd).map(|(d, _)| d),
        };
        Ok(match resp {
            Ok(data) => Response { data, sw: 0x9000 },
            Err(e) => Response {
                data: Vec::new(),
                sw: status_word(e.kind),
            },
        })
    };
    establish_fixed(
        &mut transmit,
        &g1_password(),
        suite(DH_GM_AES128, DhGroup::Modp1024_160),
        false,
        &g2_terminal_keys(),
    )
    .unwrap();
    assert_eq!(
        sent[3],
        format!("1086000086{}00", dh_template("83", G2_TERMINAL_EPH_PK))
    );
}

#[test]
fn dh_integrated_mapping_h2_values() {
    // ICAO 9303-11 App. H.2 (VECTORS.md section 7): Kπ is given, not derived.
    let pi = h("591468CDA83D65219CCCB8560233600F");
    let s =
        crypto::cbc_decrypt(Cipher::Aes128, &pi, &h("9ABB8864CA0FF1551E620D1EF4E13510")).unwrap();
    assert_eq!(hex::encode_upper(&s), "FA5B7E3E49753A0DB9178B7B9BD898C8");
    let t = h("B3A6DB3C870C3E99245E0D1C06B747DE");
    let dh = DhParams::of(DhGroup::Modp1024_160);
    let r = crypto::prf(Cipher::Aes128, &s, &t, &dh.p).unwrap();
    assert_eq!(
        hex::encode_upper(&*r),
        "EAB98D13E09052952AA729907C3C946184DEA0FE74AD2B3AF506F0A83018459C38099CD1F7FF4EA0A078DB1FAC1365505E3DC85500EF95E20B4EEF2E88489233BEE0546B472F994B618D168702406791DEEF3CB4810932EC278F3533FDB860EB4835C36FA4F1BF3FA0B828A718C96BDE88FBA38A3E6C35AAA10959251EB5FC710FC187258995944C0F926E249373F485"
    );
    assert_eq!(
        hex::encode_upper(dh.encode(&(BigUint::from_bytes_be(&r) % &dh.p))),
        "A0C7C50C002061A51CC87D254EF38068607417B6EE1B36473CFB800D2D2E5FA2B6980F01105D24FAB22ACD1BFA5C8A4C093ECDFAFE6D7125D42A843E338603835CF19AFAFF75EFE21DC5F6AA1F9AE46C25087E7368166FB08C1E4627AFED7D93570417B790FF7F747E57F432B04E1236819E0DFEF5B6E77CA4999925328182D2"
    );
    let domain = PaceDomain::Dh(DhGroup::Modp1024_160);
    let g_hat = crypto::map_integrated(domain, Cipher::Aes128, &s, &t).unwrap();
    assert_eq!(
        hex::encode_upper(g_hat.encode()),
        "1D7D767F11E333BCD6DBAEF40E799E7A926B96973550656FF3C830726D118D61C276CDCC61D475CF03A98E0C0E79CAEBA5BE25578BD4551D0B10903236F0B0F976852FA78EEA14EA0ACA87D1E91F688FE0DFF897BBE35A472621D343564B262F34223AE8FC59B664BFEDFA2BFE7516CA5510A6BBB633D517EC25D4E0BBAA16C2"
    );
    let sk = h(
        "4BD0E54740F9A028E6A515BFDAF967848C4F5F5FFF65AA0915947FFD1A0DF2FA6981271BC905F3551457B7E03AC3B8066DE4AA406C1171FB43DD939C4BA16175103BA3DEE16419AA248118F90CC36A3D6F4C373652E0C3CCE7F0F1D0C5425B3600F0F0D6A67F004C8BBA33F2B4733C7252445C1DFC4F1107203F71D2EFB28161",
    );
    let pk = g_hat.public_key(&sk).unwrap();
    assert_eq!(
        hex::encode_upper(&pk),
        "0F0CC62945A8029251FB7EF3C094E12EC68E4EF07F27CB9D9CD04C5C4250FAE0E4F8A951557E929AEB48E5C6DD47F2F5CD7C351A9BD2CD722C07EDE166770F08FFCB370262CF308DD7B07F2E0DA9CAAA1492344C852906919538C98A4BA4187E76CE9D87832386D319CE2E043C3343AEAE6EDBA1A9894DC5094D22F7FE1351D5"
    );
    let chip_pk = h(
        "928D9A0F9DBA450F13FC859C6F290D1D36E42431138A4378500BEB4E0401854CFF111F71CB6DC1D0335807A11388CC8EAA87B07907AAD9FBA6B169AF6D8C26AF8DDDC39ADC3AD2E3FF882B84D23E9768E95A80E4746FB07A9767679FE92133B4D379935C771BD7FBED6C7BB4B1708B275EA75679524CDC9C6A91370CC662A2F3",
    );
    let k = crypto::agree(domain, &sk, &chip_pk, "chip").unwrap();
    assert_eq!(
        hex::encode_upper(&*k),
        "419410D6C0A17A4C07C54872CE1CBCEB0A2705C1A434C8A89A4CFE41F1D78124CA7EC52BDE7615E5345E48AB1ABB6E7D1D59A57F3174084D3CA4570397C1F62228BDFDB2DA191EA2239E2C060DBE3BBC23C2FCD0AF12E0F9E0B99FCF91FF1959011D5798B2FCBC1F14FCC24E441F4C8F9B08D977E9498560E63E7FFAB3134EA7"
    );
    let (_, ks_enc, ks_mac) = crypto::session(Cipher::Aes128, &k).unwrap();
    assert_eq!(
        hex::encode_upper(&*ks_enc),
        "01AFC10CF87BE36D8179E87370171F07"
    );
    assert_eq!(
        hex::encode_upper(&*ks_mac),
        "23F0FBD05FD6C7B8B88F4C8309669061"
    );
    let oid = ObjectIdentifier::new_unwrap(DH_IM_AES128);
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &chip_pk).unwrap()),
        "55D61977CBF5307E"
    );
    assert_eq!(
        hex::encode_upper(crypto::token(Cipher::Aes128, &ks_mac, &oid, &pk).unwrap()),
        "C2F04230187E1525"
    );
}

#[test]
fn dh_peer_values_are_checked_and_suites_must_fit_their_domain() {
    let domain = PaceDomain::Dh(DhGroup::Modp1024_160);
    let dh = DhParams::of(DhGroup::Modp1024_160);
    let sk = h(G2_TERMINAL_EPH_SK);
    let p_minus_1 = dh.encode(&(&dh.p - 1u32));
    for bad in [
        vec![0u8; 128],
        dh.encode(&BigUint::from(1u32)),
        p_minus_1,
        dh.encode(&dh.p),
        dh.encode(&BigUint::from(2u32)),
        vec![0xFF; 129],
        Vec::new(),
    ] {
        assert!(crypto::agree(domain, &sk, &bad, "chip").is_err());
        assert!(crypto::map_generic(domain, &h(G2_S), &sk, &bad, "chip").is_err());
    }
    // A terminal mapping key outside the group: the chip answers 6A80 and resets.
    let mut chip = PaceChip::new(
        vec![suite(DH_GM_AES128, DhGroup::Modp1024_160)],
        ChipPassword {
            mrz: Some(MrzKeyInfo::new(G1_MRZ.0, G1_MRZ.1, G1_MRZ.2).unwrap()),
            can: None,
        },
        None,
    );
    chip.mse_set_at(&h("800A04007F00070202040102830101"))
        .unwrap();
    chip.general_authenticate(&Command::parse(&h("10860000027C0000")).unwrap())
        .unwrap();
    let cmd = format!(
        "1086000086{}00",
        dh_template("81", &format!("{}02", "00".repeat(127)))
    );
    assert_eq!(
        chip.general_authenticate(&Command::parse(&h(&cmd)).unwrap())
            .map_err(|e| status_word(e.kind))
            .unwrap_err(),
        0x6A80
    );
    // A DH protocol on a curve, an ECDH protocol on a MODP group: refused.
    assert!(suite(DH_GM_AES128, Curve::BrainpoolP256r1).check().is_err());
    assert!(suite(GM_AES128, DhGroup::Modp2048_224).check().is_err());
    assert!(suite(DH_IM_AES128, DhGroup::Modp2048_256).check().is_ok());
    let mut replay = Replay::new(&[]);
    assert!(
        establish(
            &mut |c| replay.transmit(c),
            &g1_password(),
            suite(DH_GM_AES128, Curve::P256),
            false,
        )
        .is_err()
    );
    assert!(replay.sent.is_empty());
    // Parameter ids 0-2 are the MODP groups; the ECDH API keeps comparing to curves.
    for (id, group) in [
        (0, DhGroup::Modp1024_160),
        (1, DhGroup::Modp2048_224),
        (2, DhGroup::Modp2048_256),
    ] {
        assert_eq!(
            PaceDomain::from_parameter_id(id),
            Some(PaceDomain::Dh(group))
        );
    }
    assert_eq!(PaceDomain::from_parameter_id(3), None);
    let ec = suite(GM_AES128, Curve::BrainpoolP256r1);
    assert_eq!(ec.domain, Curve::BrainpoolP256r1);
    assert_eq!(Curve::BrainpoolP256r1, ec.domain);
    assert_eq!(ec.domain().curve(), Some(Curve::BrainpoolP256r1));
    assert_eq!(ec.parameter_id(), 13);
}
