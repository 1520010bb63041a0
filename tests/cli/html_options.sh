#!/usr/bin/env bash
# The HTML output options: the title, data tables and <pre> code inside the article are kept by
# default; --no-title, --no-tables and --no-code leave each out (and only it).
source "$(dirname "$0")/lib/common.bash"

cat >page.html <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>Rates held as inflation slows - Example News</title></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Rates held as inflation slows</h1>
<p>The central bank left its key interest rate unchanged on Wednesday, saying inflation had slowed for a third month in a row and the labour market was cooling.</p>
<p>Officials said they would watch the data closely before any cut, and markets now expect the first reduction in the spring of next year.</p>
<table><tr><th>Month</th><th>Inflation</th></tr><tr><td>January</td><td>3.1 percent</td></tr><tr><td>February</td><td>2.9 percent</td></tr></table>
<p>The decision was unanimous, the bank said in a statement released after a two-day meeting of its board in the capital.</p>
<pre>rate = 4.25  # unchanged since the summer meeting of the board</pre>
<p>Analysts said the statement left the door open to a cut later in the year if prices keep easing at the current pace.</p>
</article><footer>Copyright Example News</footer></body></html>
HTML

run 0 "$bin" page.html
cp out all.txt
expect_in all.txt "Rates held as inflation slows"
expect_in all.txt "3.1 percent"
expect_in all.txt "rate = 4.25"
expect_in all.txt "The decision was unanimous"

run 0 "$bin" --no-title page.html
expect_not_in out "Rates held as inflation slows"
expect_in out "3.1 percent"
expect_in out "The central bank left"

run 0 "$bin" --no-tables page.html
expect_not_in out "3.1 percent"
expect_in out "Rates held as inflation slows"
expect_in out "rate = 4.25"

run 0 "$bin" --no-code page.html
expect_not_in out "rate = 4.25"
expect_in out "3.1 percent"
expect_in out "Analysts said"
