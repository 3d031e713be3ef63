package report

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/labelcheck/labelcheck/inspection"
)

// Picture is an image of a case as the HTML report embeds it: a JPEG of the
// image as stored (EXIF orientation applied), scaled down. The report's
// boxes are in the stored image's pixels (ImageResult's Width and Height),
// and are drawn over the picture at its scale.
type Picture struct {
	JPEG []byte
}

// htmlWriter writes one self-contained page: each case as it comes (its
// photos embedded, the evidence drawn over them, the label-vs-listing table
// and the findings), then on Close the summary table, shown first. The
// page asks for nothing outside itself (its Content-Security-Policy allows
// no request), and photos load lazily (loading="lazy"): only those near
// the view are decoded, and a passing case's are inside a closed
// <details>.
type htmlWriter struct {
	w       io.Writer
	opts    Options
	summary *Summary
	rows    []caseRow
	started bool
	err     error
}

// caseRow is a case's line in the summary table.
type caseRow struct {
	ID, Case, Category, Verdict, VerdictZH, Seller, Listing string
	Findings, Rank                                          int
	Codes                                                   string
}

func newHTMLWriter(w io.Writer, opts Options) *htmlWriter {
	return &htmlWriter{w: w, opts: opts, summary: NewSummary()}
}

// htmlFinding, htmlField, htmlImage and htmlBox are what the case template
// shows.
type (
	htmlFinding struct {
		inspection.Finding
		SeverityZH, MessageZH string
		Title                 Title
	}
	htmlField struct {
		Name string
		*inspection.FieldReport
		StatusZH string
	}
	htmlImage struct {
		inspection.ImageResult
		Src   template.URL
		Boxes []htmlBox
		Note  string
	}
	htmlBox struct {
		X, Y, W, H int
		Kind, Tag  string
		// TagY is where the tag's baseline goes: above the box, or inside
		// it at the image's top edge.
		TagY, Font, Stroke int
	}
)

func (h *htmlWriter) Write(r *inspection.Report) error {
	if h.err != nil {
		return h.err
	}
	if !h.started {
		h.started = true
		if h.err = htmlHead.Execute(h.w, nil); h.err != nil {
			return h.err
		}
	}
	h.summary.Add(r)
	id := fmt.Sprintf("case-%d", len(h.rows)+1)
	row := caseRow{ID: id, Case: r.Case, Category: string(r.Category), Verdict: string(r.Verdict),
		VerdictZH: verdictZH[r.Verdict], Listing: r.ListingID, Findings: len(r.Findings), Rank: r.Verdict.Rank()}
	if r.Seller != nil {
		row.Seller = strings.TrimSpace(r.Seller.Name + " " + r.Seller.ID)
	}
	var codes []string
	for _, f := range r.Findings {
		if !slices.Contains(codes, f.Code) {
			codes = append(codes, f.Code)
		}
	}
	row.Codes = strings.Join(codes, " ")
	h.rows = append(h.rows, row)

	data := struct {
		ID        string
		R         *inspection.Report
		VerdictZH string
		Open      bool
		Findings  []htmlFinding
		Fields    []htmlField
		Images    []htmlImage
	}{ID: id, R: r, VerdictZH: verdictZH[r.Verdict], Open: r.Verdict != inspection.Pass}
	for _, f := range r.Findings {
		data.Findings = append(data.Findings, htmlFinding{f, severityZH[f.Severity], MessageZH(f), Titles[f.Code]})
	}
	for _, name := range slices.Sorted(maps.Keys(r.Fields)) {
		data.Fields = append(data.Fields, htmlField{name, r.Fields[name], statusZH[r.Fields[name].Status]})
	}
	for _, im := range r.Images {
		hi := htmlImage{ImageResult: im, Boxes: boxesOn(r, im)}
		switch {
		case im.Kind == inspection.KindUnreadable:
			hi.Note = im.Reason
		case h.opts.Picture != nil:
			p, err := h.opts.Picture(r, im.Name)
			if err != nil {
				hi.Note = "not shown: " + err.Error()
			} else if p != nil {
				hi.Src = template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(p.JPEG))
			}
		}
		data.Images = append(data.Images, hi)
	}
	h.err = htmlCase.Execute(h.w, data)
	return h.err
}

// boxesOn are the boxes drawn over image im (Report.Drawn), with their
// tags, sized for an image of that size shown a few hundred pixels wide.
func boxesOn(r *inspection.Report, im inspection.ImageResult) []htmlBox {
	long := max(im.Width, im.Height, 1)
	font := max(12, long/40)
	stroke := max(2, long/300)
	var out []htmlBox
	for _, d := range r.Drawn(im.Name) {
		b := d.Box
		hb := htmlBox{X: b[0], Y: b[1], W: b[2], H: b[3], Kind: d.Kind, Tag: d.Tag, Font: font, Stroke: stroke}
		hb.TagY = b[1] - stroke - 2
		if hb.TagY-font < 0 {
			hb.TagY = b[1] + font + stroke
		}
		out = append(out, hb)
	}
	return out
}

func (h *htmlWriter) Close() error {
	if h.err != nil {
		return h.err
	}
	if !h.started {
		if err := htmlHead.Execute(h.w, nil); err != nil {
			return err
		}
	}
	type verdictCount struct {
		Verdict, ZH string
		N           int
	}
	var verdicts []verdictCount
	for _, v := range []inspection.Verdict{inspection.Fail, inspection.Review, inspection.Pass, inspection.Error} {
		verdicts = append(verdicts, verdictCount{string(v), verdictZH[v], h.summary.Verdicts[string(v)]})
	}
	return htmlTail.Execute(h.w, struct {
		Rows     []caseRow
		Verdicts []verdictCount
		Cases    int
	}{h.rows, verdicts, h.summary.Cases})
}

var funcs = template.FuncMap{
	"pct": func(f float64) string { return fmt.Sprintf("%.2f", f) },
	"box": func(b *inspection.Box) string {
		if b == nil {
			return ""
		}
		return fmt.Sprintf("[%d %d %d %d]", b[0], b[1], b[2], b[3])
	},
}

var htmlHead = template.Must(template.New("head").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>labelcheck report</title>
<style>
body { font: 14px/1.45 system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 0; color: #1d1d1f; background: #f4f4f6; }
main { display: flex; flex-direction: column; gap: 14px; padding: 16px; max-width: 1400px; margin: 0 auto; }
#summary { order: -1; background: #fff; border-radius: 8px; padding: 12px 16px; }
h1 { font-size: 20px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e3e3e8; vertical-align: top; }
th { background: #fafafc; }
#cases th { cursor: pointer; user-select: none; }
#cases th[aria-sort=ascending]::after { content: " ▲"; }
#cases th[aria-sort=descending]::after { content: " ▼"; }
.controls { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
.controls button { border: 1px solid #ccc; background: #fff; border-radius: 14px; padding: 2px 12px; cursor: pointer; }
.controls button[aria-pressed=true] { background: #1d1d1f; color: #fff; }
.v { display: inline-block; min-width: 4.5em; text-align: center; border-radius: 4px; padding: 0 6px; font-weight: 600; color: #fff; }
.v-fail { background: #c62828; } .v-review { background: #ef8f00; } .v-pass { background: #2e7d32; } .v-error { background: #7b1fa2; }
.s-high { color: #c62828; font-weight: 600; } .s-medium { color: #b26a00; font-weight: 600; } .s-low { color: #00838f; } .s-info { color: #666; }
.st-mismatch { color: #c62828; font-weight: 600; } .st-unread { color: #b26a00; } .st-match { color: #2e7d32; }
section.case { background: #fff; border-radius: 8px; padding: 10px 16px; }
section.case > details > summary { cursor: pointer; font-size: 16px; }
.meta { color: #555; }
.images { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 8px; }
figure { margin: 0; width: 440px; }
.pic { position: relative; background: #ddd; }
.pic img { display: block; width: 100%; height: auto; }
.pic svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.pic .blank { height: 200px; display: flex; align-items: center; justify-content: center; color: #555; }
svg rect { fill: none; }
svg .field rect { stroke: #00aa00; } svg .field text { fill: #007700; }
svg .finding rect { stroke: #e60000; } svg .finding text { fill: #e60000; }
svg .mark rect { stroke: #c800c8; } svg .mark text { fill: #c800c8; }
svg .code rect { stroke: #00bebe; } svg .code text { fill: #008a8a; }
svg text { font-family: sans-serif; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
figcaption { font-size: 12px; color: #444; }
.legend span { margin-right: 10px; }
.legend i { display: inline-block; width: 10px; height: 10px; border: 2px solid; margin-right: 3px; vertical-align: -1px; }
.hidden { display: none !important; }
</style>
</head>
<body>
<main>
`))

var htmlCase = template.Must(template.New("case").Funcs(funcs).Parse(`<section class="case" id="{{.ID}}" data-verdict="{{.R.Verdict}}">
<details{{if .Open}} open{{end}}>
<summary><span class="v v-{{.R.Verdict}}">{{.R.Verdict}} {{.VerdictZH}}</span> <b>{{.R.Case}}</b>
<span class="meta">{{.R.Category}}{{with .R.ListingID}} · listing {{.}}{{end}}{{with .R.Seller}} · {{.Name}} {{.ID}}{{end}} · {{len .R.Images}} image(s)</span></summary>
{{with .R.Error}}<p class="s-high">error: {{.}}</p>{{end}}
{{if .Findings}}<h3>Findings 问题</h3>
<table class="findings"><tr><th>severity</th><th>code</th><th>问题</th><th>message</th><th>label 标签</th><th>listing 页面</th><th>evidence</th></tr>
{{range .Findings}}<tr><td class="s-{{.Severity}}">{{.Severity}} {{.SeverityZH}}</td><td>{{.Code}}{{with .Field}}({{.}}){{end}}</td>
<td>{{.MessageZH}}</td><td>{{.Title.EN}}: {{.Message}}</td><td>{{.LabelValue}}</td><td>{{.ListingValue}}</td>
<td>{{range .Evidence}}<div>{{if .Image}}{{.Image}} {{box .Box}}{{else}}{{.Source}}{{end}} “{{.Text}}”</div>{{end}}</td></tr>
{{end}}</table>{{end}}
{{if .Fields}}<h3>Label vs listing 标签与页面对照</h3>
<table class="fields"><tr><th>field</th><th>label 标签</th><th>listing 页面</th><th>status 状态</th><th>confidence</th><th>read by</th></tr>
{{range .Fields}}<tr><td>{{.Name}}</td><td>{{.Label}}</td><td>{{.Listing}}</td><td class="st-{{.Status}}">{{.Status}} {{.StatusZH}}</td>
<td>{{if .Confidence}}{{pct .Confidence}}{{end}}</td><td>{{.Engine}}</td></tr>
{{end}}</table>{{end}}
<h3>CCC mark and codes 认证标志与二维码</h3>
<p>{{range .R.Marks}}{{.Kind}} mark on {{.Image}} (score {{pct .Score}}); {{else}}no CCC mark found 未发现CCC标志; {{end}}
{{range .R.Codes}}{{.Kind}} on {{.Image}}: “{{.Data}}”; {{else}}no QR code 无二维码{{end}}
{{if .R.Registry.Checked}}· registry: {{.R.Registry.CertificateNo}} {{.R.Registry.Status}}{{else}}· registry: {{.R.Registry.Reason}}{{end}}</p>
<div class="images">
{{range .Images}}<figure><div class="pic">
{{if .Src}}<img alt="{{.Name}}" src="{{.Src}}" loading="lazy" decoding="async" width="{{.Width}}" height="{{.Height}}">
<svg viewBox="0 0 {{.Width}} {{.Height}}" preserveAspectRatio="none">
{{range .Boxes}}<g class="{{.Kind}}"><rect x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" stroke-width="{{.Stroke}}"/><text x="{{.X}}" y="{{.TagY}}" font-size="{{.Font}}">{{.Tag}}</text></g>
{{end}}</svg>{{else}}<div class="blank">{{.Name}}: {{if .Note}}{{.Note}}{{else}}no picture{{end}}</div>{{end}}
</div><figcaption>{{.Name}} · {{.Kind}}{{if .Width}} · {{.Width}}×{{.Height}}{{end}}{{with .Note}} · {{.}}{{end}}</figcaption></figure>
{{end}}</div>
</details>
</section>
`))

var htmlTail = template.Must(template.New("tail").Funcs(funcs).Parse(`<section id="summary">
<h1>labelcheck report · {{.Cases}} case(s)</h1>
<div class="controls" id="filters">
<button type="button" data-verdict="" aria-pressed="true">all {{.Cases}}</button>
{{range .Verdicts}}<button type="button" data-verdict="{{.Verdict}}" aria-pressed="false">{{.Verdict}} {{.ZH}} {{.N}}</button>
{{end}}<input type="search" id="search" placeholder="case, seller, code…" aria-label="filter cases">
</div>
<p class="legend"><span><i style="border-color:#00aa00"></i>field evidence 字段</span><span><i style="border-color:#e60000"></i>finding evidence 问题</span><span><i style="border-color:#c800c8"></i>CCC mark</span><span><i style="border-color:#00bebe"></i>QR code</span></p>
<table id="cases"><thead><tr><th data-key="case">case</th><th data-key="verdict" data-num="1">verdict 结论</th><th data-key="category">category</th><th data-key="findings" data-num="1">findings</th><th data-key="codes">codes</th><th data-key="seller">seller</th><th data-key="listing">listing</th></tr></thead>
<tbody>
{{range .Rows}}<tr data-case="{{.ID}}" data-verdict="{{.Verdict}}"><td data-v="{{.Case}}"><a href="#{{.ID}}">{{.Case}}</a></td><td data-v="{{.Rank}}"><span class="v v-{{.Verdict}}">{{.Verdict}} {{.VerdictZH}}</span></td><td data-v="{{.Category}}">{{.Category}}</td><td data-v="{{.Findings}}">{{.Findings}}</td><td data-v="{{.Codes}}">{{.Codes}}</td><td data-v="{{.Seller}}">{{.Seller}}</td><td data-v="{{.Listing}}">{{.Listing}}</td></tr>
{{end}}</tbody></table>
</section>
</main>
<script>
(function () {
  "use strict";
  // Filter by verdict and by text.
  var verdict = "", rows = Array.prototype.slice.call(document.querySelectorAll("#cases tbody tr"));
  var search = document.getElementById("search");
  function apply() {
    var q = search.value.trim().toLowerCase();
    rows.forEach(function (tr) {
      var ok = (!verdict || tr.getAttribute("data-verdict") === verdict) && (!q || tr.textContent.toLowerCase().indexOf(q) >= 0);
      tr.classList.toggle("hidden", !ok);
      var sec = document.getElementById(tr.getAttribute("data-case"));
      if (sec) { sec.classList.toggle("hidden", !ok); }
    });
  }
  document.querySelectorAll("#filters button").forEach(function (b) {
    b.addEventListener("click", function () {
      verdict = b.getAttribute("data-verdict");
      document.querySelectorAll("#filters button").forEach(function (o) { o.setAttribute("aria-pressed", String(o === b)); });
      apply();
    });
  });
  search.addEventListener("input", apply);
  // Sort by a column; again reverses.
  var tbody = document.querySelector("#cases tbody");
  document.querySelectorAll("#cases th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending", num = th.hasAttribute("data-num");
      document.querySelectorAll("#cases th").forEach(function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.children[col].getAttribute("data-v"), y = b.children[col].getAttribute("data-v");
        var c = num ? Number(x) - Number(y) : x.localeCompare(y, "zh");
        return asc ? c : -c;
      });
      rows.forEach(function (tr) { tbody.appendChild(tr); });
    });
  });
  // A case linked to is opened.
  function openLinked() {
    var sec = location.hash && document.getElementById(location.hash.slice(1));
    if (sec) { var d = sec.querySelector("details"); if (d) { d.open = true; } }
  }
  window.addEventListener("hashchange", openLinked);
  openLinked();
  document.body.setAttribute("data-ready", "1");
})();
</script>
</body>
</html>
`))
