//! Tests of `ec`.
use super::*;

#[test]
fn every_generator_is_on_its_curve_with_order_n() {
    let ids: Vec<u8> = Curve::ALL.iter().map(|c| c.pace_parameter_id()).collect();
    assert_eq!(ids, (8..=18).collect::<Vec<u8>>());
    for c in Curve::ALL {
        assert_eq!(c.info().curve, c);
        let p = c.params();
        assert_eq!((p.p.bits(), p.n.bits()), (c.bits() as u64, c.bits() as u64));
        let g = p.generator();
        assert!(p.is_on_curve(&g), "{c}");
        assert_eq!(p.mul_vartime(&g, &p.n), Point::Infinity, "{c}");
        assert_eq!(p.mul_vartime(&g, &(&p.n - 1u32)), p.negate(&g), "{c}");
        assert_eq!(p.mul(&g, &(&p.n + 2u32)), p.double(&g), "{c}");
    }
}

/// The curves a RustCrypto crate covers: exactly these five.
const COVERED: [Curve; 5] = [
    Curve::P256,
    Curve::P384,
    Curve::P521,
    Curve::BrainpoolP256r1,
    Curve::BrainpoolP384r1,
];

#[test]
fn the_dispatch_covers_the_five_rustcrypto_curves_and_no_other() {
    for c in Curve::ALL {
        assert_eq!(rustcrypto::covers(c), COVERED.contains(&c), "{c}");
        if !COVERED.contains(&c) {
            let p = c.params();
            let g = p.encode_point(&p.generator());
            assert!(rustcrypto::mul(c, &g, &[2]).is_none(), "{c}");
            assert!(rustcrypto::public_key(c, &[2]).is_none(), "{c}");
            assert!(rustcrypto::ecdh_x(c, &[2], &g).is_none(), "{c}");
            assert!(rustcrypto::sign_prehash(c, &[2], &[1; 32]).is_none(), "{c}");
            assert!(
                rustcrypto::verify_prehash(c, &g, &[1; 32], &[1; 2]).is_none(),
                "{c}"
            );
        }
    }
}

/// For each covered curve, the RustCrypto path and the generic arithmetic agree on k·P, the
/// public key of a scalar, the ECDH secret, and ECDSA (each verifies the other's signature and
/// both refuse a corrupted one), with digests shorter and longer than the order. A wrong curve
/// type in the dispatch table fails here.
#[test]
fn the_rustcrypto_path_agrees_with_the_generic_arithmetic() {
    for c in COVERED {
        let p = c.params();
        for digest_len in [20, 32, 64] {
            let a = p.random_scalar().unwrap();
            let b = p.random_scalar().unwrap();
            let (ai, bi) = (BigUint::from_bytes_be(&a), BigUint::from_bytes_be(&b));
            let pa = p.mul(&p.generator(), &ai);
            let pa_bytes = p.encode_point(&pa);

            let public = rustcrypto::public_key(c, &a).unwrap().unwrap();
            assert_eq!(public, pa_bytes, "{c}: public key");

            let generic_ab = p.mul(&pa, &bi);
            let fast = rustcrypto::mul(c, &pa_bytes, &b).unwrap();
            assert_eq!(fast, p.encode_point(&generic_ab), "{c}: k·P");
            assert_eq!(mul_secret(p, &pa, &b), generic_ab, "{c}: mul_secret");

            let x = rustcrypto::ecdh_x(c, &b, &pa_bytes).unwrap().unwrap();
            let gx = int_to_bytes(generic_ab.x().unwrap(), p.field_len());
            assert_eq!(x.as_slice(), gx.as_slice(), "{c}: ECDH");

            let digest: Vec<u8> = (0..digest_len).map(|i| (i * 7 + 1) as u8).collect();
            let fl = p.field_len();
            let by_crate = rustcrypto::sign_prehash(c, &a, &digest).unwrap().unwrap();
            let by_generic = sign_ecdsa_generic(c, &a, &digest).unwrap();
            for (who, rs) in [("crate", &by_crate), ("generic", &by_generic)] {
                assert_eq!(rs.len(), 2 * fl, "{c} {who}");
                let (r, s) = rs.split_at(fl);
                let ctx = format!("{c}, {digest_len}-byte digest signed by {who}");
                verify_ecdsa_generic(c, &public, &digest, r, s).expect(&ctx);
                rustcrypto::verify_prehash(c, &public, &digest, rs)
                    .unwrap()
                    .expect(&ctx);
                let mut bad = rs.clone();
                bad[2 * fl - 1] ^= 1;
                let (br, bs) = bad.split_at(fl);
                assert!(
                    verify_ecdsa_generic(c, &public, &digest, br, bs).is_err(),
                    "{ctx}"
                );
                assert!(
                    rustcrypto::verify_prehash(c, &public, &digest, &bad)
                        .unwrap()
                        .is_err()
                );
                assert!(
                    verify_ecdsa_prehash(c, &public, &digest, br, bs).is_err(),
                    "{ctx}"
                );
            }
        }
    }
}

/// The dispatching operations also run on the curves no crate covers, and refuse scalars
/// outside [1, n − 1].
#[test]
fn the_operations_run_on_uncovered_curves_and_check_scalars() {
    for c in [Curve::P224, Curve::BrainpoolP320r1] {
        let p = c.params();
        let a = p.random_scalar().unwrap();
        let public = public_key(c, &a).unwrap();
        let expected = p.mul(&p.generator(), &BigUint::from_bytes_be(&a));
        assert_eq!(public, p.encode_point(&expected), "{c}");
        let b = p.random_scalar().unwrap();
        let shared = ecdh_x(c, &b, &public).unwrap();
        let other = ecdh_x(c, &a, &public_key(c, &b).unwrap()).unwrap();
        assert_eq!(shared.as_slice(), other.as_slice(), "{c}");
        let rs = sign_ecdsa_prehash(c, &a, &[9; 32]).unwrap();
        let (r, s) = rs.split_at(p.field_len());
        verify_ecdsa_prehash(c, &public, &[9; 32], r, s).unwrap();
        assert!(verify_ecdsa_prehash(c, &public, &[8; 32], r, s).is_err());
    }
    for c in [Curve::P256, Curve::P224] {
        let n = c.params().n.to_bytes_be();
        assert!(private_scalar(c, &[0]).is_err(), "{c}");
        assert!(private_scalar(c, &n).is_err(), "{c}");
        assert!(public_key(c, &n).is_err(), "{c}");
        assert!(public_key(c, &[0; 32]).is_err(), "{c}");
        assert_eq!(private_scalar(c, &[1]).unwrap().len(), c.field_len(), "{c}");
    }
}
