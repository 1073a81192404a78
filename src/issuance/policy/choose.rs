//! Which fingers the chip stores (rule 9 of the policy): the thumbs, each replaced when unusable
//! as the station's [`SubstitutionOrder`] says, on chip documents only.

use super::fingers::{FingerPosition, FingerStatus, Hand};
use super::settings::SubstitutionOrder;
use super::{Applicant, ChipFingers, StationSettings, StoredFinger, Trail};

/// What the chip stores for an applicant who is fingerprinted with `usable` fingers.
pub(super) fn chip_fingers(
    a: &Applicant,
    settings: &StationSettings,
    usable: &[FingerPosition],
    trail: &mut Trail,
) -> ChipFingers {
    let nothing = |reason: String, trail: &mut Trail| {
        trail.note(reason.clone());
        ChipFingers::Nothing { reason }
    };
    let Some(document) = a.category.document() else {
        return nothing(
            format!(
                "category {} ({}): registered in the national database; the station issues no \
                 chip document, so no DG3",
                a.category.law_category(),
                a.category.describe()
            ),
            trail,
        );
    };
    if !settings.chip_documents.contains(&document) {
        return nothing(
            format!(
                "the {} is not a chip document at this station (setting chip_documents): \
                 registered in the national database, no DG3",
                document.describe()
            ),
            trail,
        );
    }
    let status = a.fingers.on(a.hands);
    ChipFingers::Store {
        fingers: thumbs_or_substitutes(&status, usable, settings.substitution, trail),
    }
}

/// The thumbs, or their substitutes in `order`, or the one usable finger. Substitutes are tried
/// rank by rank for both places, so that each thumb's own-hand finger comes before the other
/// thumb's cross-hand one.
fn thumbs_or_substitutes(
    status: &FingerStatus,
    usable: &[FingerPosition],
    order: SubstitutionOrder,
    trail: &mut Trail,
) -> Vec<StoredFinger> {
    if let [only] = usable {
        trail.assume("one-usable-finger");
        let why = format!(
            "only one usable finger in all: the {} is stored alone",
            only.name()
        );
        trail.note(why.clone());
        return vec![StoredFinger {
            finger: *only,
            for_thumb: FingerPosition::of(only.hand(), super::Digit::Thumb),
            why,
        }];
    }
    let thumbs = [FingerPosition::RightThumb, FingerPosition::LeftThumb];
    let hands = [Hand::Right, Hand::Left];
    let mut picks: [Option<(FingerPosition, usize)>; 2] =
        thumbs.map(|t| usable.contains(&t).then_some((t, 0)));
    for rank in 0..8 {
        for (place, hand) in hands.into_iter().enumerate() {
            if picks[place].is_some() {
                continue;
            }
            let candidate = order.substitutes(hand)[rank];
            let taken = picks.iter().flatten().any(|&(f, _)| f == candidate);
            if usable.contains(&candidate) && !taken {
                picks[place] = Some((candidate, rank + 1));
            }
        }
    }
    let mut stored = Vec::new();
    for (place, thumb) in thumbs.into_iter().enumerate() {
        // With two or more usable fingers both places are filled; the guard stays.
        let Some((finger, rank)) = picks[place] else {
            continue;
        };
        let why = if rank == 0 {
            format!("the {}", thumb.name())
        } else {
            let basis = if rank <= order.named_by_law() {
                "as the law reads: the ring finger stands in for the thumb".to_string()
            } else if order == SubstitutionOrder::RingFinger {
                trail.assume("past-the-ring-fingers");
                "assumption past-the-ring-fingers".to_string()
            } else {
                "station setting substitution = index-finger".to_string()
            };
            format!(
                "the {} ({}) replaced by the {} ({basis})",
                thumb.name(),
                status.get(thumb).describe(),
                finger.name()
            )
        };
        trail.note(why.clone());
        stored.push(StoredFinger {
            finger,
            for_thumb: thumb,
            why,
        });
    }
    stored
}
