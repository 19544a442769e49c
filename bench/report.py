"""The bench's figures and how they are shown: a figure (M) is a value
with its unit, or the reason there is none ("n/a (not implemented yet)",
"—" where moto has no equivalent, or an error); a Row puts cloudsim's
and moto's figures of one scenario side by side with the relevant floor;
the functions below render them as Markdown tables.
"""

NA = "n/a (not implemented yet)"
NO_EQUIVALENT = "—"


class M:
    """One figure.  unit "req/s" is better higher; "ms/call" and "ms" are
    better lower.  detail is shown after the value (p99, HTTP share…)."""

    def __init__(self, value=None, unit="", na=None, error=None, detail="",
                 **extra):
        self.value, self.unit, self.na = value, unit, na
        self.error, self.detail = error, detail
        self.partial = False    # measured, but not under the same conditions
        self.extra = extra

    @property
    def ok(self):
        return self.value is not None and self.error is None

    @property
    def higher_is_better(self):
        return self.unit == "req/s"

    def text(self):
        if self.na:
            return self.na
        if self.error and self.value is None:
            return f"error: {self.error}"
        s = f"{fmt(self.value)} {self.unit}"
        if self.detail:
            s += f" ({self.detail})"
        if self.error:
            s += f" — error: {self.error}"
        return s


def not_implemented():
    return M(na=NA)


def no_equivalent():
    return M(na=NO_EQUIVALENT)


def fmt(v):
    """Numbers as people read them: 12,345 / 123 / 12.3 / 1.23 / 0.123."""
    if v is None:
        return "?"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


class Row:
    """One line of the main table.  floor is the name of the floor the
    figure is compared with, or a tuple of names (the cell then shows
    each fraction, the first being the one the scenario is judged by)."""

    def __init__(self, sid, scenario, client, cloudsim, moto, floor=None,
                 note=""):
        self.sid, self.scenario, self.client = sid, scenario, client
        self.cloudsim, self.moto, self.floor, self.note = \
            cloudsim, moto, floor, note


def ratio(c, m):
    """How many times faster cloudsim is than moto, or None."""
    if not (c.ok and m.ok) or c.unit != m.unit or not c.value or \
            not m.value or c.partial or m.partial:
        return None
    return c.value / m.value if c.higher_is_better else m.value / c.value


def floor_fraction(c, floor):
    """cloudsim as a fraction of its floor: (fraction, floor's name), the
    floor being (name, wrk-like result).  A rate is compared with the
    floor's rate, a latency with the floor's mean latency."""
    if not floor or not c.ok or not floor[1]:
        return None
    name, f = floor
    if f.get("error"):
        return None
    if c.higher_is_better:
        return (c.value / f["rps"] if f.get("rps") else None), name
    if f.get("lat_mean_ms"):
        return f["lat_mean_ms"] / c.value, name
    return None


def table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(x).replace("|", "\\|") for x in r)
                   + " |")
    return "\n".join(out)


def floor_cell(c, floor, floors):
    """The "cloudsim vs floor" cell: one fraction per floor named."""
    names = (floor,) if isinstance(floor, str) else tuple(floor or ())
    out = []
    for name in names:
        fl = floor_fraction(c, (name, floors.get(name)))
        if fl and fl[0]:
            pct = fl[0] * 100
            out.append(f"{pct:.1f} % of {fl[1]}" if pct < 1
                       else f"{pct:.0f} % of {fl[1]}")
    return "; ".join(out)


def main_table(rows, floors):
    body = []
    for r in rows:
        x = ratio(r.cloudsim, r.moto)
        body.append([
            r.sid, r.scenario, r.client, r.cloudsim.text(), r.moto.text(),
            f"{x:.1f}×" if x else "", floor_cell(r.cloudsim, r.floor, floors),
            r.note,
        ])
    return table(["#", "scenario", "client", "cloudsim", "moto",
                  "cloudsim vs moto", "cloudsim vs floor", "note"], body)
