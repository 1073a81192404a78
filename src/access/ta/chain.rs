//! The terminal's choice of certificate chain (BSI TR-03110-3 clause 2.4 and A.7.2.4): the chip
//! names its trust points in EF.CVCA (the most recent first); the terminal sends the chain
//! that starts at one of them: the DV certificate that CVCA issued, or CVCA link certificates
//! first when the chip still trusts an older CVCA key, then its own (IS) certificate.
//!
//! A terminal may hold several chains: DV and IS certificates of several countries' CVCAs (one
//! IS key certified by each country's DV), older and newer DV certificates, link certificates.
//! The first trust point (in EF.CVCA's order) that some chain reaches wins; of the chains from
//! it, the shortest (no link certificate the chip does not need), and of equally short ones the
//! one whose IS certificate comes last in the terminal's list. [`choose_chain_on`] first looks
//! for a chain whose certificates are all valid on the terminal's date (IS certificates live a
//! few weeks, so a terminal holds expired ones next to their successors).

use crate::access::cvc::{Cvc, Role};
use crate::error::{Error, Result};
use crate::time::Date;

/// The longest chain tried: link certificates are issued every few years.
const MAX_CHAIN: usize = 6;

/// [`choose_chain`] among the certificates valid on `date` (the terminal's today), else among
/// all of them (the chip decides by its own date, which may lag).
pub fn choose_chain_on(
    trust_points: &[String],
    certificates: &[Cvc],
    date: Date,
) -> Result<(String, Vec<Cvc>)> {
    let valid: Vec<Cvc> = certificates
        .iter()
        .filter(|c| c.valid_on(date))
        .cloned()
        .collect();
    choose_chain(trust_points, &valid).or_else(|_| choose_chain(trust_points, certificates))
}

/// From `certificates` (any CVCA link certificates and DV certificates the terminal holds,
/// and its IS certificates), the chain from the first trust point in `trust_points` (CARs
/// from EF.CVCA, most recent first) that reaches an IS certificate, with that trust point.
pub fn choose_chain(trust_points: &[String], certificates: &[Cvc]) -> Result<(String, Vec<Cvc>)> {
    let terminals: Vec<&Cvc> = certificates
        .iter()
        .rev()
        .filter(|c| c.role() == Role::Terminal)
        .collect();
    if terminals.is_empty() {
        return Err(Error::protocol(
            "TA",
            "no inspection system certificate in the chain",
        ));
    }
    for tp in trust_points {
        let mut best: Option<Vec<Cvc>> = None;
        for terminal in &terminals {
            if let Some(path) = path_from(tp, terminal, certificates)
                && best.as_ref().is_none_or(|b| path.len() < b.len())
            {
                best = Some(path);
            }
        }
        if let Some(path) = best {
            return Ok((tp.clone(), path));
        }
    }
    let mut held: Vec<&str> = Vec::new();
    for car in certificates
        .iter()
        .filter(|c| c.role() != Role::Terminal)
        .map(|c| c.car())
    {
        if !held.contains(&car) {
            held.push(car);
        }
    }
    let held = if held.is_empty() {
        "nothing (no DV certificate)".to_string()
    } else {
        held.join(", ")
    };
    Err(Error::protocol(
        "TA",
        format!(
            "the chip trusts {} (EF.CVCA); the terminal's certificates start at {held}: no \
             chain links them (a link certificate or a DV certificate of that CVCA is missing)",
            trust_points.join(", "),
        ),
    ))
}

/// A shortest path trust point -> link certificates -> DV -> the terminal certificate, by CAR =
/// issuer's CHR, each certificate of a role its issuer may issue (TR-03110-3 clause 2.5).
fn path_from(trust_point: &str, terminal: &Cvc, certs: &[Cvc]) -> Option<Vec<Cvc>> {
    // Breadth-first over issuers' CHRs; each entry holds the path that reached it. The trust
    // point and link certificates are CVCAs; a DV issues the terminal certificate only.
    let mut frontier: Vec<(String, Vec<Cvc>)> = vec![(trust_point.to_string(), Vec::new())];
    for _ in 0..MAX_CHAIN {
        let mut next = Vec::new();
        for (holder, path) in &frontier {
            let holder_is_dv = path
                .last()
                .is_some_and(|c| matches!(c.role(), Role::DvDomestic | Role::DvForeign));
            if holder_is_dv {
                if terminal.car() == holder {
                    let mut full = path.clone();
                    full.push(terminal.clone());
                    return Some(full);
                }
                continue;
            }
            for c in certs
                .iter()
                .filter(|c| c.car() == holder && c.role() != Role::Terminal && c.chr() != c.car())
            {
                if path.iter().any(|p| p.chr() == c.chr()) || c.chr() == trust_point {
                    continue;
                }
                let mut p = path.clone();
                p.push(c.clone());
                next.push((c.chr().to_string(), p));
            }
        }
        if next.is_empty() {
            return None;
        }
        frontier = next;
    }
    None
}
