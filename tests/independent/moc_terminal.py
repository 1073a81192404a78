#!/usr/bin/python3
"""An independent match-on-card terminal: BIT group, probe conversion, VERIFY with biometric data.

Written without the dactyl sources, from ISO/IEC 7816-11 (biometric information template group
7F61 / 7F60, biometric header template A1, algorithm parameters B1; VERIFY with a biometric data
object 7F2E), ISO/IEC 7816-4 (VERIFY, status words 63Cx / 6983 / 6982, command chaining with
CLA bit 0x10, secure messaging), ISO/IEC 19785-3 (biometric subtype bits) and ISO/IEC 19794-2
(2005 and 2011 finger minutiae records; clause 8, conversion of a record to the compact card
format: 3 bytes a minutia, 0.1 mm units, 360/64 angle units, type in the two high bits), and
from the chip's status-word table in dactyl's README. PACE and AES secure messaging are those of
the sibling script pace_cam_terminal.py; the card is reached through pyscard (PC/SC).

  moc_terminal.py --reader R --can CAN --probe FILE --finger 1|6 [--impostor FILE]
                  [--other-probe FILE]
      before PACE: GET DATA of the BIT group and VERIFY in plain (both refused, 6982); PACE with
      the CAN; under secure messaging: GET DATA of the BIT group, pick the reference of --finger
      (ISO/IEC 19794-2 finger position), convert --probe to what the BIT asks for, empty VERIFY
      (63C3, no try spent), genuine VERIFY (9000), the same as a command chain (9000). With
      --impostor: one miss then a genuine match (counter back to 3), and the blocking sequence on
      the other thumb's reference (63C2, 63C1, 63C0, 6983, then 6983 for a genuine probe of that
      finger, --other-probe, or the main probe when none is given) while the main one stays
      usable. Last, VERIFY in plain after a new SELECT (6982).
  moc_terminal.py --convert FILE [--finger N] [--max 60] [--order 0]
      only the record-to-card conversion, printed as hex (no card)
  moc_terminal.py --parse FILE
      only the record's views as this terminal decodes them (no card)

Prints one JSON line {ok, checks, failures, sw, ...}; exit 0 only when every check passed, 1 when
a check failed, 2 for usage or environment errors.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pace_cam_terminal as pc  # noqa: E402  (the sibling script: PACE, SM, DER)

Failure = pc.Failure

LDS1_AID = bytes.fromhex("A0000002471001")
GET_DATA_BIT_ODD = bytes.fromhex("00CB3FFF045C027F6100")  # 7816-4 GET DATA, tag list 5C
GET_DATA_BIT_EVEN = bytes.fromhex("00CA7F6100")
FINGER_TYPE = 0x08  # 7816-11 / CBEFF biometric type: fingerprint


# --- ISO/IEC 19794-2 finger minutiae records ---


def _u(data, pos, n, what):
    if pos < 0 or pos + n > len(data):
        raise Failure(f"record: {what} at offset {pos} needs {n} bytes, {len(data)} in the file")
    return int.from_bytes(data[pos:pos + n], "big")


def _minutiae(data, pos, count, size, what):
    out = []
    for i in range(count):
        at = pos + i * size
        first = _u(data, at, 2, f"{what} minutia {i}")
        second = _u(data, at + 2, 2, f"{what} minutia {i}")
        angle = _u(data, at + 4, 1, f"{what} minutia {i}")
        quality = _u(data, at + 5, 1, f"{what} minutia {i}") if size >= 6 else 0
        out.append({"type": first >> 14, "x": first & 0x3FFF, "y": second & 0x3FFF,
                    "angle": angle, "quality": quality})
    return out


def parse_record(data):
    """Returns a list of views {position, xres, yres, minutiae[]} of a 2005 or 2011 record."""
    if data[:4] != b"FMR\x00":
        raise Failure(f"record: expected the identifier FMR\\0, got {data[:4].hex()}")
    version = data[4:8]
    views = []
    if version == b" 20\x00":
        # 2005: length(4) equipment(2) width(2) height(2) xres(2) yres(2) views(1) reserved(1)
        xres, yres = _u(data, 18, 2, "x resolution"), _u(data, 20, 2, "y resolution")
        count = _u(data, 22, 1, "number of views")
        pos = 24
        for v in range(count):
            position = _u(data, pos, 1, "finger position")
            n = _u(data, pos + 3, 1, "number of minutiae")
            minutiae = _minutiae(data, pos + 4, n, 6, f"view {v}")
            pos += 4 + 6 * n
            ext = _u(data, pos, 2, "extended data length")
            pos += 2 + ext
            views.append({"position": position, "xres": xres, "yres": yres,
                          "minutiae": minutiae})
    elif version == b"030\x00":
        # 2011: length(4) representations(2) certification flag(1), then each representation
        count = _u(data, 12, 2, "number of representations")
        certified = _u(data, 14, 1, "certification flag")
        pos = 15
        for v in range(count):
            length = _u(data, pos, 4, "representation length")
            p = pos + 4 + 9 + 1 + 2 + 2  # date/time, technology, vendor, device type
            p += 1 + 5 * _u(data, p, 1, "number of quality blocks")
            if certified:
                p += 1 + 3 * _u(data, p, 1, "number of certification blocks")
            position = _u(data, p, 1, "finger position")
            xres, yres = _u(data, p + 2, 2, "x resolution"), _u(data, p + 4, 2, "y resolution")
            field = _u(data, p + 11, 1, "minutia field length") >> 4
            if field not in (5, 6):
                raise Failure(f"record: minutia field length {field}, expected 5 or 6")
            n = _u(data, p + 12, 1, "number of minutiae")
            minutiae = _minutiae(data, p + 13, n, field, f"representation {v}")
            if length < 4 or p + 13 + field * n > pos + length:
                raise Failure(f"record: representation {v} of {length} bytes is too short")
            views.append({"position": position, "xres": xres, "yres": yres,
                          "minutiae": minutiae})
            pos += length
    else:
        raise Failure(f"record: version {version!r} is neither ' 20' (2005) nor '030' (2011)")
    if not views:
        raise Failure("record: no finger view")
    return views


def pick_view(views, finger):
    """The view of that finger position; else the first view (a scanner may record another or no
    position for the finger the operator names), with a warning. Returns (view, warning)."""
    for v in views:
        if v["position"] == finger:
            return v, None
    return views[0], (f"no view of finger position {finger} (positions "
                      f"{[v['position'] for v in views]}): the first view was used")


# --- conversion to the compact card format (19794-2 clause 8) ---


def to_card_units(px, res):
    """Pixels at res px/cm to units of 0.1 mm (100 units a cm), rounded half up."""
    if res <= 0:
        raise Failure(f"record: resolution {res} px/cm")
    return (2 * 100 * px + res) // (2 * res)


def order_minutiae(cards, order):
    """BAPT minutiae order: 01 ascending / 02 descending; 04 x-y, 08 y-x, 0C angle, 10 polar."""
    if order == 0:
        return cards
    direction = order & 0x03
    key_kind = order & 0x1C
    if direction not in (1, 2) or key_kind not in (0x04, 0x08, 0x0C, 0x10):
        raise Failure(f"BIT: minutiae order 0x{order:02X} is not one this terminal knows")
    if key_kind == 0x04:
        def key(m): return (m[0], m[1])
    elif key_kind == 0x08:
        def key(m): return (m[1], m[0])
    elif key_kind == 0x0C:
        def key(m): return m[2] & 0x3F
    else:
        # polar: squared distance from the minutiae's centre of mass, then angle
        cx = sum(m[0] for m in cards) // max(len(cards), 1)
        cy = sum(m[1] for m in cards) // max(len(cards), 1)

        def key(m): return ((m[0] - cx) ** 2 + (m[1] - cy) ** 2, m[2] & 0x3F)
    return sorted(cards, key=key, reverse=direction == 2)


def convert(view, max_minutiae, order):
    """Compact card minutiae (list of (x, y, type<<6 | angle)) of one view; returns (cards,
    dropped out of range, pruned)."""
    kept = []
    dropped = 0
    for i, m in enumerate(view["minutiae"]):
        x = to_card_units(m["x"], view["xres"])
        y = to_card_units(m["y"], view["yres"])
        if x > 0xFF or y > 0xFF:
            dropped += 1
            continue
        angle = ((m["angle"] + 2) // 4) % 64  # 360/256 units to 360/64 units, rounded
        kept.append((m["quality"], i, (x, y, (m["type"] & 0x03) << 6 | angle)))
    pruned = 0
    if len(kept) > max_minutiae:
        # keep the best: highest quality first, the record's order among equals
        best = sorted(kept, key=lambda k: (-k[0], k[1]))[:max_minutiae]
        pruned = len(kept) - max_minutiae
        kept = sorted(best, key=lambda k: k[1])
    cards = order_minutiae([k[2] for k in kept], order)
    return cards, dropped, pruned


def verify_object(cards):
    """7816-11 biometric data template 7F2E with the minutiae in tag 81."""
    return pc.tlv(0x7F2E, pc.tlv(0x81, b"".join(bytes(c) for c in cards)))


# --- the BIT group ---


def parse_bit_group(data):
    tag, group, rest = pc.der_read(data)
    if tag != 0x7F61:
        raise Failure(f"BIT group: expected tag 7F61, got {tag:X}")
    if rest != len(data):
        raise Failure(f"BIT group: {len(data) - rest} bytes after 7F61")
    items = pc.der_children(group)
    if not items or items[0][0] != 0x02 or len(items[0][1]) != 1:
        raise Failure("BIT group: expected the number of BITs (02 01 n) first")
    count = items[0][1][0]
    bits = []
    for tag, value, _ in items[1:]:
        if tag != 0x7F60:
            raise Failure(f"BIT group: expected BIT templates 7F60, got {tag:X}")
        bit = {}
        for t, v, _ in pc.der_children(value):
            if t == 0xA1:
                for ht, hv, _ in pc.der_children(v):
                    if ht == 0x81:
                        bit["type"] = hv.hex().upper()
                    elif ht == 0x82:
                        bit["subtype"] = int.from_bytes(hv, "big")
                    elif ht == 0x87:
                        bit["owner"] = hv.hex().upper()
                    elif ht == 0x88:
                        bit["format"] = hv.hex().upper()
                    elif ht == 0xB1:
                        for at, av, _ in pc.der_children(hv):
                            if at == 0x81:
                                if len(av) != 2:
                                    raise Failure("BAPT 81: expected min and max (2 bytes)")
                                bit["min"], bit["max"] = av[0], av[1]
                            elif at == 0x82:
                                bit["order"] = int.from_bytes(av, "big")
                            elif at == 0x83:
                                bit["features"] = int.from_bytes(av, "big")
            elif t == 0x83:
                if len(v) != 1:
                    raise Failure(f"BIT: reference data qualifier of {len(v)} bytes")
                bit["qualifier"] = v[0]
        for need in ("type", "subtype", "qualifier"):
            if need not in bit:
                raise Failure(f"BIT: no {need} in {value.hex()}")
        bits.append(bit)
    if count != len(bits):
        raise Failure(f"BIT group: says {count} BITs, holds {len(bits)}")
    return bits


def subtype_of(finger):
    """19794-2 finger position 1..10 to the 19785-3 subtype: b0-1 side (01 right, 10 left),
    b2-4 finger (001 thumb .. 101 little)."""
    if not 1 <= finger <= 10:
        raise Failure(f"finger position {finger} is not 1..10")
    side = 0b01 if finger <= 5 else 0b10
    digit = (finger - 1) % 5 + 1
    return side | digit << 2


def bit_for(bits, finger):
    want = subtype_of(finger)
    for b in bits:
        if b["type"] == f"{FINGER_TYPE:02X}" and b["subtype"] == want:
            return b
    return None


# --- the terminal ---


class Channel(pc.SecureChannel):
    """SM that reports an unprotected answer as such instead of failing."""

    def _response(self, rdata, sw):
        self.protected = bool(rdata)
        if not rdata:
            return b"", sw
        return super()._response(rdata, sw)


def sw_text(sw, protected=True):
    return f"{sw:04X}" if protected else f"{sw:04X} (unprotected)"


class Terminal:
    def __init__(self, card, args):
        self.card, self.args = card, args
        self.report = {"checks": [], "failures": [], "sw": {}}

    def expect(self, name, got, expected):
        """Records a check: got and expected are status texts."""
        self.report["sw"][name] = got
        if got == expected:
            self.report["checks"].append(name)
        else:
            self.report["failures"].append(f"{name}: expected {expected}, got {got}")

    def plain(self, apdu):
        _, sw = self.card.transmit(apdu)
        return f"{sw:04X}"

    def sm_send(self, cla, ins, p1, p2, data=b"", le=None):
        if len(data) > 0xDF:
            raise Failure(f"{len(data)} bytes of command data do not fit a short SM APDU")
        rdata, sw = self.sm.command(cla, ins, p1, p2, data, le)
        return rdata, sw_text(sw, self.sm.protected)

    def verify(self, qualifier, obj):
        return self.sm_send(0x00, 0x21, 0x00, qualifier, obj)[1]

    def verify_chained(self, qualifier, obj):
        """The same VERIFY as a chain of two links (7816-4 5.3.3); each link is its own SM
        command. Returns the status of the first and of the last link."""
        cut = len(obj) // 2
        first = self.sm_send(0x10, 0x21, 0x00, qualifier, obj[:cut])[1]
        if first != "9000":
            return first, None
        return first, self.sm_send(0x00, 0x21, 0x00, qualifier, obj[cut:])[1]

    def probe_object(self, path, finger, bit):
        with open(path, "rb") as f:
            record = f.read()
        view, warning = pick_view(parse_record(record), finger)
        if warning:
            self.report.setdefault("warnings", []).append(f"{path}: {warning}")
        cards, dropped, pruned = convert(view, bit.get("max", 255), bit.get("order", 0))
        if len(cards) < bit.get("min", 0):
            raise Failure(f"{path}: {len(cards)} minutiae after conversion, the BIT asks for "
                          f"at least {bit['min']}")
        return verify_object(cards), {"record_minutiae": len(view["minutiae"]),
                                      "sent": len(cards), "dropped_out_of_range": dropped,
                                      "pruned": pruned,
                                      "compact_hex": b"".join(bytes(c) for c in cards)
                                      .hex().upper()}

    def run(self):
        a, r = self.args, self.report
        # 1. without secure messaging, before PACE
        self.expect("bit_refused_without_sm", self.plain(GET_DATA_BIT_ODD), "6982")
        pre = pc.tlv(0x7F2E, pc.tlv(0x81, bytes(36)))  # 12 minutiae: well formed
        self.expect("verify_refused_without_sm",
                    self.plain(bytes([0x00, 0x21, 0x00, 0x81, len(pre)]) + pre), "6982")

        # 2. PACE, then the application under SM
        session = pc.pace_establish(self.card, a.can.encode("ascii"))
        self.sm = Channel(self.card.transmit, session.pace.ks_enc, session.pace.ks_mac)
        self.sm.protected = True
        r["pace"] = {"mapping": pc.MAPPINGS[session.info["oid"][-2]],
                     "parameter_id": session.info["parameter_id"]}
        r["checks"].append("pace_t_ic_verified")
        _, sw = self.sm_send(0x00, 0xA4, 0x04, 0x0C, LDS1_AID)
        if sw != "9000":
            raise Failure(f"SELECT eMRTD application under SM: {sw}")

        # 3. the BIT group
        bit_data, sw = self.sm_send(0x00, 0xCB, 0x3F, 0xFF, bytes.fromhex("5C027F61"), le=0)
        r["bit_command"] = "00CB3FFF"
        if sw != "9000":
            r["bit_odd_sw"] = sw
            bit_data, sw = self.sm_send(0x00, 0xCA, 0x7F, 0x61, le=0)
            r["bit_command"] = "00CA7F61"
        if sw != "9000":
            raise Failure(f"GET DATA BIT group under SM: {sw}")
        r["bit_hex"] = bit_data.hex().upper()
        bits = parse_bit_group(bit_data)
        r["bits"] = bits
        r["checks"].append("bit_parsed")
        main = bit_for(bits, a.finger)
        if main is None:
            raise Failure(f"the BIT group has no reference of finger position {a.finger}")
        q = main["qualifier"]
        r["qualifier"] = f"{q:02X}"
        genuine, r["probe"] = self.probe_object(a.probe, a.finger, main)

        # 4. the main reference
        self.expect("empty_verify_63c3", self.verify(q, b""), "63C3")
        self.expect("genuine_match", self.verify(q, genuine), "9000")
        self.expect("empty_verify_after_match_63c3", self.verify(q, b""), "63C3")
        first, last = self.verify_chained(q, genuine)
        self.expect("chained_first_link_9000", first, "9000")
        self.expect("chained_genuine_match", str(last), "9000")
        self.expect("unknown_reference_6a88", self.verify(0x8F, genuine), "6A88")
        minutiae = pc.der_read(pc.der_read(genuine)[1])[1]
        self.expect("tag_90_genuine_match",
                    self.verify(q, pc.tlv(0x7F2E, pc.tlv(0x90, minutiae))), "9000")
        self.expect("malformed_length_6a80",
                    self.verify(q, pc.tlv(0x7F2E, pc.tlv(0x81, minutiae + b"\x00"))), "6A80")
        self.expect("too_few_minutiae_6a80",
                    self.verify(q, pc.tlv(0x7F2E, pc.tlv(0x81, minutiae[:33]))), "6A80")
        self.sm_send(0x10, 0x21, 0x00, q, genuine[:len(genuine) // 2])
        self.expect("chain_interrupted_6883",
                    self.sm_send(0x00, 0xCA, 0x7F, 0x61, le=0)[1], "6883")
        self.expect("no_try_spent_by_refused_commands", self.verify(q, b""), "63C3")
        _, sw = self.sm_send(0x00, 0xCA, 0xDC, q, le=0)
        r["sw"]["reference_get_data"] = sw
        if sw.startswith("9000") or sw.startswith("61"):
            r["failures"].append(f"reference_not_readable: GET DATA DC{q:02X} answered {sw}")
        else:
            r["checks"].append("reference_not_readable")

        if a.impostor:
            impostor, r["impostor"] = self.probe_object(a.impostor, a.finger, main)
            # one miss, then a match resets the counter
            self.expect("impostor_miss_63c2", self.verify(q, impostor), "63C2")
            self.expect("genuine_after_miss_9000", self.verify(q, genuine), "9000")
            self.expect("counter_reset_63c3", self.verify(q, b""), "63C3")
            # block the other thumb's reference (or, without one, the main one, last)
            other_finger = 6 if a.finger == 1 else 1
            other = bit_for(bits, other_finger)
            target = other or main
            oq = target["qualifier"]
            r["blocked_qualifier"] = f"{oq:02X}"
            tf = other_finger if other else a.finger
            bad, _ = self.probe_object(a.impostor, a.finger, target)
            if other and a.other_probe:
                good, r["other_probe"] = self.probe_object(a.other_probe, tf, target)
            else:
                good, _ = self.probe_object(a.probe, a.finger, target)
            self.expect("block_empty_63c3", self.verify(oq, b""), "63C3")
            for left in (2, 1, 0):
                self.expect(f"block_impostor_63c{left}", self.verify(oq, bad), f"63C{left}")
            self.expect("block_fourth_6983", self.verify(oq, bad), "6983")
            self.expect("blocked_genuine_6983", self.verify(oq, good), "6983")
            self.expect("blocked_empty_6983", self.verify(oq, b""), "6983")
            if other:
                self.expect("main_reference_still_matches", self.verify(q, genuine), "9000")

        # 5. a plain VERIFY after a new SELECT (the SM session ends)
        self.plain(bytes([0x00, 0xA4, 0x04, 0x0C, len(LDS1_AID)]) + LDS1_AID)
        self.expect("verify_plain_after_select_refused",
                    self.plain(bytes([0x00, 0x21, 0x00, q, len(genuine)]) + genuine), "6982")
        self.expect("bit_plain_after_select_refused", self.plain(GET_DATA_BIT_ODD), "6982")
        r["ok"] = not r["failures"]
        return r


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reader", default="Virtual PCD 00 00", help="PC/SC reader name (or prefix)")
    ap.add_argument("--can", help="Card Access Number (PACE password reference 2)")
    ap.add_argument("--probe", help="ISO/IEC 19794-2 record of the live finger")
    ap.add_argument("--finger", type=int, default=1, help="19794-2 finger position (1..10)")
    ap.add_argument("--impostor", help="a 19794-2 record of another finger")
    ap.add_argument("--other-probe", help="a genuine record of the other thumb (position 6 or 1)")
    ap.add_argument("--convert", help="only convert this record to compact card minutiae")
    ap.add_argument("--parse", help="only parse this 19794-2 record and print its views")
    ap.add_argument("--max", type=int, default=60, help="with --convert: BAPT maximum")
    ap.add_argument("--order", type=int, default=0, help="with --convert: BAPT order byte")
    args = ap.parse_args(argv)
    terminal = None
    try:
        if args.parse:
            with open(args.parse, "rb") as f:
                print(json.dumps({"ok": True, "views": parse_record(f.read())}))
            return 0
        if args.convert:
            with open(args.convert, "rb") as f:
                views = parse_record(f.read())
            view, warning = pick_view(views, args.finger)
            cards, dropped, pruned = convert(view, args.max, args.order)
            print(json.dumps({"ok": True, "views": len(views), "warning": warning,
                              "sent": len(cards), "dropped_out_of_range": dropped,
                              "pruned": pruned, "compact_hex":
                              b"".join(bytes(c) for c in cards).hex().upper()}))
            return 0
        if not args.can or not args.can.isdigit() or not args.probe:
            raise EnvironmentError("--can with the card's digits and --probe are required")
        card = pc.Card(args.reader)
        terminal = Terminal(card, args)
        out = terminal.run()
        out["apdus"] = card.apdus
        print(json.dumps(out))
        return 0 if out["ok"] else 1
    except Failure as e:
        out = dict(terminal.report) if terminal else {"checks": [], "failures": [], "sw": {}}
        out["failures"] = out["failures"] + [str(e)]
        out.update({"ok": False, "error": str(e)})
        print(json.dumps(out))
        return 1
    except Exception as e:  # reader missing, PC/SC errors, unreadable files
        print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}", "checks": [],
                          "failures": [str(e)], "sw": {}}))
        return 2


if __name__ == "__main__":
    sys.exit(main())
