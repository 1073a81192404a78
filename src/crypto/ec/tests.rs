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
