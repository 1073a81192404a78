//! PACE against the worked examples of ICAO Doc 9303-11 (Appendices G.1, H.1, I) and the BSI
//! EAC worked example, byte for byte, on the terminal side (replaying the chip's answers) and on
//! the chip side (fixed nonces and keys), and terminal against chip.

use dactyl::access::oids::{Cipher, PaceProtocol};
use dactyl::access::pace::crypto::{self, Password};
use dactyl::access::pace::{ChipPassword, FixedRandomness, PaceChip, PaceSuite, establish};
use dactyl::apdu::{Command, Response};
use dactyl::lds::mrz::MrzKeyInfo;
use dactyl::pki::ec::Curve;
use der::asn1::ObjectIdentifier;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

fn suite(oid: &str, curve: Curve) -> PaceSuite {
    PaceSuite {
        protocol: PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap(oid)).unwrap(),
        curve,
    }
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
    let out = establish(
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
    let out = establish(
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
