package inspection

import (
	"maps"
	"strings"
	"testing"
)

const page = `<!DOCTYPE html>
<html><head>
<meta charset="utf-8"><title> 美厨 家用燃气灶 JZT-2E01B 天然气 双灶 </title>
<link rel="canonical" href="https://item.example.com/100012345.html">
<style>.x{color:red} 型号：STYLE</style>
<script>var spec = {"型号": "SCRIPT-1"}; document.write("型号：SCRIPT-2")</script>
</head><body>
<h1>美厨燃气灶</h1>
<div class="price">￥1299</div>
<table class="spec">
  <tr><th>品牌</th><td>美厨</td><th>型号</th><td>JZT-2E01B</td></tr>
  <tr><td>3C证书编号</td><td> 2021012401123456 </td></tr>
  <tr style="display: none"><td>型号</td><td>HIDDEN-ROW</td></tr>
</table>
<dl><dt>燃气类别</dt><dd>12T 天然气</dd><dt>熄火保护</dt><dd>有</dd></dl>
<ul><li>制造商：佛山市美厨电器有限公司</li><li>产地: 广东</li><li>一段很长的介绍文字，没有冒号也不是属性</li></ul>
<div hidden>型号：HIDDEN-DIV</div>
<div aria-hidden="true">执行标准：GB 0000-0000</div>
<input type="hidden" name="sku" value="123">
<p>家用燃气灶，熄火保护，<b>一级能效</b>。</p>
<noscript>型号：NOSCRIPT</noscript>
</body></html>`

func TestParseListingHTML(t *testing.T) {
	l, err := ParseListingHTML([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if l.Title != "美厨 家用燃气灶 JZT-2E01B 天然气 双灶" || l.URL != "https://item.example.com/100012345.html" {
		t.Errorf("title %q, url %q", l.Title, l.URL)
	}
	want := map[string]string{"品牌": "美厨", "型号": "JZT-2E01B", "3C证书编号": "2021012401123456", "燃气类别": "12T 天然气",
		"熄火保护": "有", "制造商": "佛山市美厨电器有限公司", "产地": "广东"}
	if !maps.Equal(l.Attributes, want) {
		t.Errorf("attributes %v, want %v", l.Attributes, want)
	}
	for _, in := range []string{"美厨燃气灶", "￥1299", "家用燃气灶，熄火保护， 一级能效 。", "JZT-2E01B"} {
		if !strings.Contains(l.Text, in) {
			t.Errorf("text lacks %q:\n%s", in, l.Text)
		}
	}
	for _, out := range []string{"SCRIPT", "STYLE", "HIDDEN", "NOSCRIPT", "GB 0000", "color:red"} {
		if strings.Contains(l.Text, out) || strings.Contains(l.Title, out) {
			t.Errorf("hidden %q shown:\n%s", out, l.Text)
		}
	}
	if strings.Count(l.Text, "\n") < 5 {
		t.Errorf("blocks not on lines of their own:\n%s", l.Text)
	}
}

// A page without a <title> takes its first heading; a page that is no
// HTML at all (a truncated save) is still read for its text.
func TestParseListingHTMLFallbacks(t *testing.T) {
	l, err := ParseListingHTML([]byte("<h1>乐童 积木</h1><p>适用年龄：3岁以上"))
	if err != nil || l.Title != "乐童 积木" || !strings.Contains(l.Text, "适用年龄：3岁以上") {
		t.Errorf("%+v, %v", l, err)
	}
	l, err = ParseListingHTML([]byte("型号: A1\xff\xfe<<<<div"))
	if err != nil || !strings.Contains(l.Text, "型号: A1") {
		t.Errorf("%+v, %v", l, err)
	}
}

func FuzzParseListingHTML(f *testing.F) {
	f.Add(page)
	f.Add("<table><tr><td>a<td>b<td>c</table><dl><dd>x<dt>y</dl>")
	f.Add("<li>：</li><li>:::</li><div style='display:none'>")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseListingHTML([]byte(s))
		if err != nil {
			return
		}
		for k, v := range l.Attributes {
			if k == "" || v == "" {
				t.Errorf("empty attribute %q: %q", k, v)
			}
		}
	})
}
