//! Signature verifications per second for each backend of `dactyl::crypto::signature`, next to
//! `openssl speed ecdsap256` when OpenSSL is on PATH.
//!
//! `cargo bench --bench signature` measures (about 1 s per case); without `--bench` (as under
//! `cargo test --all-targets`) every case runs once as a smoke test.

use dactyl::crypto::hash::HashAlgorithm;
use dactyl::crypto::keys::PublicKey;
use dactyl::crypto::signature::{SignatureAlgorithm, backend, verify};
use ecdsa::signature::hazmat::PrehashVerifier;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap_or_default()
}

/// Runs `f` for about `budget` and returns operations per second as text; without a budget it
/// runs once and says "ok".
fn rate(budget: Option<Duration>, mut f: impl FnMut() -> bool) -> String {
    assert!(f(), "the benchmarked verification failed");
    let Some(budget) = budget else {
        return "ok".to_string();
    };
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            black_box(f());
        }
        n += 16;
    }
    format!("{:.0}", n as f64 / start.elapsed().as_secs_f64())
}

/// `openssl speed -seconds 1 ecdsap256`: verifications per second, if OpenSSL runs.
fn openssl_ecdsap256() -> Option<f64> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "1", "ecdsap256"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains("ecdsa (nistp256)"))?;
    line.split_whitespace().last()?.parse().ok()
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let budget = measuring.then(|| Duration::from_millis(1000));
    let msg = h(MSG);
    let cases: [(&str, (&str, &str), SignatureAlgorithm); 11] = [
        (
            "ECDSA P-256 SHA-256",
            P256_SHA256,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        ),
        (
            "ECDSA P-256 SHA-512",
            P256_SHA512,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        ),
        (
            "ECDSA P-384 SHA-256",
            P384_SHA256,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        ),
        (
            "ECDSA P-521 SHA-512",
            P521_SHA512,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        ),
        (
            "ECDSA P-224 SHA-256",
            P224_SHA256,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        ),
        (
            "ECDSA brainpoolP256r1 SHA-256",
            BP256_SHA256,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        ),
        (
            "ECDSA brainpoolP320r1 SHA-256",
            BP320_SHA256,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256),
        ),
        (
            "ECDSA brainpoolP384r1 SHA-512",
            BP384_SHA512,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        ),
        (
            "ECDSA brainpoolP512r1 SHA-512",
            BP512_SHA512,
            SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512),
        ),
        (
            "RSA-2048 PKCS#1 v1.5 SHA-256",
            RSA2048_PKCS1_SHA256,
            SignatureAlgorithm::RsaPkcs1(HashAlgorithm::Sha256),
        ),
        (
            "RSA-2048 PSS SHA-256 salt 32",
            RSA2048_PSS_SHA256,
            SignatureAlgorithm::RsaPss {
                hash: HashAlgorithm::Sha256,
                mgf_hash: HashAlgorithm::Sha256,
                salt_len: 32,
            },
        ),
    ];
    println!(
        "{:<40} {:>12} {:>14}",
        "signature verification", "backend", "verifies/s"
    );
    for (name, (spki, sig), alg) in cases {
        let key = PublicKey::from_spki(&h(spki)).expect("bench key");
        let sig = h(sig);
        let via = backend(&key, &alg)
            .map(|b| format!("{b:?}"))
            .unwrap_or_default();
        let r = rate(budget, || verify(&key, &alg, &msg, &sig).is_ok());
        println!("{name:<40} {via:>12} {r:>14}");
    }
    // The same P-256 / SHA-256 signature through the RustCrypto p256 crate directly.
    let (spki, sig) = P256_SHA256;
    let key = PublicKey::from_spki(&h(spki)).expect("bench key");
    let PublicKey::Ec { point, .. } = &key else {
        return;
    };
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(point).expect("bench key");
    let sig = p256::ecdsa::Signature::from_der(&h(sig)).expect("bench signature");
    let r = rate(budget, || {
        let digest = HashAlgorithm::Sha256.digest(&msg);
        vk.verify_prehash(&digest, &sig).is_ok()
    });
    println!(
        "{:<40} {:>12} {r:>14}",
        "ECDSA P-256 SHA-256 (p256 crate direct)", "RustCrypto"
    );
    // Parsing the key from its SubjectPublicKeyInfo, as a document without a cached DSC would.
    let r = rate(budget, || PublicKey::from_spki(&h(spki)).is_ok());
    println!(
        "{:<40} {:>12} {r:>14}",
        "P-256 SubjectPublicKeyInfo parse", "-"
    );
    if measuring {
        match openssl_ecdsap256() {
            Some(v) => println!(
                "{:<40} {:>12} {v:>14.0}",
                "openssl speed ecdsap256", "OpenSSL"
            ),
            None => println!("openssl speed ecdsap256: not available"),
        }
    }
}

// Keys and signatures made with OpenSSL 3.0.19 (the same as in tests/pki_signatures.rs).
const MSG: &str = "64616374796c20654d525444207369676e6174757265207465737420766563746f72";

const P256_SHA256: (&str, &str) = (
    "\
    3059301306072a8648ce3d020106082a8648ce3d03010703420004a72248553291aa984e07327fac0894d375f97e29ae\
    b468a9099dc8b67cb34036aa9ba220fc565557cd8a7b91010e20c305a623c55032c9d980b57516a95ee806\
",
    "\
    3045022042b03be23a34a1e0687be27f47fddc65c143877ba9d0d126de29b0ca1d2ac42d022100f74f44e4ffacb60854\
    dbf6df65b41d7f8933fe2e9a646b7af682e4b5ed42b3d3\
",
);
const P256_SHA512: (&str, &str) = (
    "\
    3059301306072a8648ce3d020106082a8648ce3d03010703420004a72248553291aa984e07327fac0894d375f97e29ae\
    b468a9099dc8b67cb34036aa9ba220fc565557cd8a7b91010e20c305a623c55032c9d980b57516a95ee806\
",
    "\
    304402200405351befd2403b2680193ea86e5e4edbf27b9024589771a39325a24a53654002207874b1385395e178c57b\
    cb90c591f61aaf8809c12b10406ef12f5ecbea9f1eb9\
",
);
const P384_SHA256: (&str, &str) = (
    "\
    3076301006072a8648ce3d020106052b8104002203620004e8fc27c2adcbd7f385ec83bfb924d7baa5ce74042677ec5c\
    32d6eecaa794bfb2f18b47c8638c5e293e297d68310a25bed89109accfc826cd1f5f77ce99ec16495e1e24541d14ffaa\
    25d4822b60ba61a5bbdad098cf2027490b1d7fbbde0bf54e\
",
    "\
    30650230009fdb76f830b19c824937685c5302ce9bd872141979288b855af10c4e5dbdd94c67fbfc44bc0a29c3ddbf0d\
    aa7aa90c023100ebf6ca9e3a9006ea13b39a214788ff7a7ef102884bc5e655d28771d1c5c575ec939dba86d2aa91e039\
    eb090b7f71f8ed\
",
);
const BP256_SHA256: (&str, &str) = (
    "\
    305a301406072a8648ce3d020106092b240303020801010703420004025ef41b8d55ae6183577cc22705744d441c5327\
    273cb5ed976df318bb1f0e6935ab22826c2fbf0b00b658c4103b68372c5788ba1812f39c30e7edcca38c18e6\
",
    "\
    30450220285075ee17721bfd065de9d7b155a2b9277fc9a121f48dd18d1f58c817eb3bb9022100816387cfa7a7ccd881\
    709a00a11f05452dd06ebed6b63a9049edca774d000a39\
",
);
const BP512_SHA512: (&str, &str) = (
    "\
    30819b301406072a8648ce3d020106092b240303020801010d0381820004464580127a0f1fef43600342eac6046db0f3\
    20d14fb3490beb8fcd1d4df6181ac066df0e645e142adc4613210678bbc9e07e2b91580b896ec06620b4320d4465691a\
    0be2a122a40b859b0ad3db3855b2ac87e8e5aa95a20d8b877bcef845667e98904fc0807b917d1ecdd17345d53f382438\
    ddbc073bff4f6a3b584a1fbb7a72\
",
    "\
    30818502410097d5ec3ac9308d71612ebaf40784f1846391e422c9bde6fd6c38ece4034e1a5e88dfb8aa48d448d26708\
    79666613a5b09977f03ab097b0a7f00da65c665fbfeb02402249e22c34518f26f24139fcc099b29c09e1786221540d34\
    8be23001c252947007158f3286872b51085871a0f7228adc8091a865b127435115be86c65e2463d2\
",
);
const RSA2048_PKCS1_SHA256: (&str, &str) = (
    "\
    30820122300d06092a864886f70d01010105000382010f003082010a0282010100d4e2208621a97fc02fcf1b445bfde1\
    c8e5bef688da4b88754caaac83cea141a0b2bb0c8d7d31ea57af43e6ba9309e9e9e6fe80e76e93416f3c02abb54f373e\
    b2e3a1c033c19d38548d83091bca0a85a559c5169c73f619b4235220742705da2348840dbe2fb8ddf07f327d69a6907a\
    7f2b5bb43bb69f03168b44057ae5d385fb870e630a78d030a2b32e1046b5b859b7812e5dd09c98361cb9d8efc8ac727f\
    32ba811069b5e9d8ff1cbdeeb2a362626fd7e8f783ca6bb6bc2f3b85e044a27820960cc6772c46a67591a1062108f64c\
    2b9b05fbaf259b85bef13462477caf445ca6de0dd61b2fbdd9c2369ec80d36d0507e871826d3ddd136978147321c08d5\
    730203010001\
",
    "\
    cef5b7981bd52b20041402ee02ef81ef36ad871e59b7977492cbb7b5e8e64ee22737141ed088acb8dfe17968aaa3a651\
    3aecaf85f2a3ce2f3363d37c535cd6844f3616f8799973c8417b0c29e46c18f141b9a091873c13c5d55b30be1405ae45\
    6d1669a1f9e22a5c5f52feaebb307dbe0f0df416a275453340d120af613c2b5f91a68e5cb2be0e6adec32153a6d964e3\
    04ac3c2e2388a285242ad263356c225129ffa95a40e61cd6f4ac0f54d85ba6c907bd68afc6b0a5eb387d94181d6a5417\
    efbff8278ff2f5ee8344b8ba54ee0872ab0266c7cee81c276c94e0e51acd2575edb5bebd1177ff7b7ca0ef5938ce524c\
    54bea537b41fb1f8ffd57bdfd48b5ca1\
",
);
const RSA2048_PSS_SHA256: (&str, &str) = (
    "\
    30820122300d06092a864886f70d01010105000382010f003082010a0282010100d4e2208621a97fc02fcf1b445bfde1\
    c8e5bef688da4b88754caaac83cea141a0b2bb0c8d7d31ea57af43e6ba9309e9e9e6fe80e76e93416f3c02abb54f373e\
    b2e3a1c033c19d38548d83091bca0a85a559c5169c73f619b4235220742705da2348840dbe2fb8ddf07f327d69a6907a\
    7f2b5bb43bb69f03168b44057ae5d385fb870e630a78d030a2b32e1046b5b859b7812e5dd09c98361cb9d8efc8ac727f\
    32ba811069b5e9d8ff1cbdeeb2a362626fd7e8f783ca6bb6bc2f3b85e044a27820960cc6772c46a67591a1062108f64c\
    2b9b05fbaf259b85bef13462477caf445ca6de0dd61b2fbdd9c2369ec80d36d0507e871826d3ddd136978147321c08d5\
    730203010001\
",
    "\
    7c8d586698a8ccd48c38869f1e8c534a955a8b6d7857ef1226568cbe012a5cc3b4abd4a58c529e548bfe184897168728\
    0d032e902fe4f5243b1224b1653dcc430f0df82acf958284fdf152a0593445014ed84025ab532a890a98bacc407218a3\
    0357e50553616bca8e3cba31cb37846b80462f4d2b670e82ee22f308d604873babc70a24fdd9795b93247fb551e29150\
    d82dbe51ec2368df9da26bd31211e963ccd7a60be4c6f2e236d3dd53340a287e1b88ee67b4e921218302ce96f1fa227c\
    9572a46977723e0c897298f81e1b88ddae2e6658416c469eb92449946c60ad39f54f545bb212cc7f3cf64318e7ed9aa5\
    5e1c7609b3f29808ade757d25cb789cd\
",
);
const P224_SHA256: (&str, &str) = (
    "\
    304e301006072a8648ce3d020106052b81040021033a0004ff6d6208062c08368f5f6a72362c415f2304f11f60ce2d35\
    c6d97ed9d0ffd93c4c93c4d908fd8efa9456d67770b6ab87a92f2a7c066dda0f\
",
    "\
    303c021c5de1a0168d4a3567a7f46209952c657696ce08aedb5f575d5d17c7e1021c10ec32184b65709410cd50085fad\
    3cf72e0425908469d9c8aa31b800\
",
);
const P521_SHA512: (&str, &str) = (
    "\
    30819b301006072a8648ce3d020106052b81040023038186000400ced2b6b507a6d6f4b6161907fc1488d9e6272fad08\
    e95e7a27bafc00bd8b22cc3add15b29c27c584d68a3586d42d5c699378a0d93185e7a731473834741a39f99801233108\
    f03bfb872e4cbd56a9164737eefa15574cf3842442eba48339f33b601fdf7bbeb2bc509958ae617b62061653fcc6aac4\
    bbca9ab3cbad7a5918360a989b94\
",
    "\
    30818702411829a5c98f11ea7ae61fa96af473c0a0b85136e22a4f00051950a5a0f363650cbf2f97c87d70780f43d898\
    92e1609827fd41e763234a1879e5228c70f6211362d50242008717cea58d0f822d4909290aa09a9c0c1e1423d864f127\
    79bda3b9b29abd120e856c6659f00af5b354c24ed23a4c383b69de27194458aef9c8553b1c7c01a0741c\
",
);
const BP320_SHA256: (&str, &str) = (
    "\
    306a301406072a8648ce3d020106092b2403030208010109035200044967d67eca67d9897fea7a9cf57a207b475acd0d\
    7e1b63af0e5e8def0919847b07a509da0caffc69b41c13b65b79143c94aff34325c8cf712c45e86ad9287e2def59eb8b\
    e0165b29c43ed649ce8aa434\
",
    "\
    305402285e15505ecac41a3bad4597cc4d674b1dd180dbbe5cf6436d30b68cb2b821c7b731e061a7e0013bed02287d63\
    1d5ff0bfebbbb3c8f53e8b0bb4b01ede5abf7cd992412020decf12c1c39f7b2175d53149f0de\
",
);
const BP384_SHA512: (&str, &str) = (
    "\
    307a301406072a8648ce3d020106092b240303020801010b0362000419c8b01e257f03a35cbe6201756dfad35b61837d\
    0579c9771ba6c7f5ecc66ef7458d52ad1a0d548d79a8740016ad3b985b168988313ae5553bf1f126323dff7421766783\
    7a098efdfe29b160e06f7a0d0eafade3db53185bd6a533a989bc27f8\
",
    "\
    30640230487ec84faaae3ee8486d4c4ca7e4d8084ed85fb02b22153d8bfdd0aa86debd4da2df9cf296a26af36dbfc1e7\
    aa4b058b02302980eb908d262da0292f3059c8fa4b08a49eea24b01f6516070f035de571635f908efb1489f2248346ae\
    508ac9b1b4a8\
",
);
