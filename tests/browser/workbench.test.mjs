// The coding workbench in a real browser: Debian's Chromium driven by playwright-core,
// against the real `rian` binary serving a fresh store. The same flow runs on a laptop
// screen and on a 360 px phone: import the seed write-up, accept a suggestion, code a
// passage by selecting it (type-ahead and a number key), add a SWOT item from a passage,
// add an actor and a plan item, undo one step, reload and find all of it kept.
// Screenshots of every page go to target/browser-screenshots/ (kept by CI as artifacts).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, existsSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = process.env.RIAN_BIN ?? path.join(repo, "target/debug/rian");
const shots = path.join(repo, "target/browser-screenshots");
// The real write-up the product is modelled on, from the shared folder beside the
// repository (or $RIAN_SHARED); where that is absent, a fictional write-up of our own with
// the same kinds of passages.
const shared = process.env.RIAN_SHARED ?? path.resolve(repo, "../shared");
const seed = [path.join(shared, "seed/forum-thonburi-2566.txt"), path.join(here, "fixtures/forum-fictional.txt")]
  .find(existsSync);
console.log(`# importing ${seed}`);

/** Starts `rian serve --demo` on a free port with a store of its own; with `accounts`
 * ([name, role, password] each), a shared server where everyone signs in. */
async function startRian(accounts = []) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rian-browser-"));
  if (accounts.length > 0) {
    spawnSync(binary, ["--data-dir", dataDir, "init", "--demo"], { stdio: "inherit" });
    for (const [name, role, password] of accounts) {
      const made = spawnSync(binary, ["--data-dir", dataDir, "user", "add", name, "--role", role, "--password-stdin"],
        { input: `${password}\n`, stdio: ["pipe", "ignore", "inherit"] });
      assert.equal(made.status, 0, `rian user add ${name}`);
    }
  }
  const login = accounts.length > 0 ? ["--login"] : [];
  const child = spawn(binary, ["--data-dir", dataDir, "serve", "--demo", ...login, "--addr", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (m) resolve(m[0]);
    });
    child.on("exit", (code) => reject(new Error(`rian exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error("rian did not start within 30 s")), 30_000);
  });
  return {
    url,
    stop() {
      child.kill("SIGINT");
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-gpu"],
  });
}

/** Selects the first occurrence of `words` in the document text, across highlight marks. */
async function selectWords(page, words) {
  const found = await page.evaluate((words) => {
    const root = document.querySelector(".text[data-document]");
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = "";
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push([n, all.length]);
      all += n.textContent;
    }
    const at = all.indexOf(words);
    if (at < 0) return false;
    const locate = (offset) => {
      for (let i = nodes.length - 1; i >= 0; i--) {
        if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
      }
    };
    const range = document.createRange();
    range.setStart(...locate(at));
    range.setEnd(...locate(at + words.length));
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }, words);
  assert.ok(found, `"${words}" is in the document`);
  await page.waitForFunction(() => document.querySelector(".code-form").elements.start.value !== "");
}

/** Waits for the page a background save navigates to. */
async function saved(page, action) {
  await Promise.all([page.waitForNavigation(), action()]);
}

async function flow(t, name, contextOptions) {
  const rian = await startRian();
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    rian.stop();
  });
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  // The refused memo below answers 422 on purpose; any other failed load is a problem.
  page.on("console", (m) => m.type() === "error" && !/status of 422/.test(m.text()) && problems.push(m.text()));
  mkdirSync(shots, { recursive: true });
  let n = 0;
  const shot = async (what) => {
    n += 1;
    await page.screenshot({ path: path.join(shots, `${name}-${String(n).padStart(2, "0")}-${what}.png`), fullPage: true });
    // Nothing is wider than the screen: no sideways scrolling, on a phone least of all.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${what}: page is ${overflow}px wider than the screen`);
  };

  // Dashboard → Thonburi's page → import the seed write-up.
  await page.goto(rian.url);
  assert.equal(await page.locator("html").getAttribute("lang"), "th");
  // The Thai typeface shipped with rian is the one in use.
  await page.evaluate(() => document.fonts.ready);
  assert.ok(await page.evaluate(() => document.fonts.check('16px "Sarabun"', "ก")), "Sarabun is loaded");
  await shot("dashboard");
  await page.click("text=เขตธนบุรี");
  await shot("site");
  await page.setInputFiles('input[name="file"]', seed);
  await saved(page, () => page.click("section.import button[type=submit]"));
  assert.match(page.url(), /\/forums\/\d+$/);
  const forum = page.url();
  await shot("forum");

  // The document: accept rian's first suggestion.
  await page.click("a.button >> nth=0");
  await page.waitForSelector(".text[data-document]");
  await shot("document");
  const waiting = await page.locator("tr.status-suggested").count();
  assert.ok(waiting > 0, "the seed gets suggestions");
  const firstId = await page.locator("tr.status-suggested").first().getAttribute("id");
  await saved(page, () => page.locator(`#${firstId} button:has-text("ยอมรับ")`).first().click());
  assert.equal(await page.locator(`#${firstId}`).getAttribute("class"), "status-accepted");
  assert.equal(await page.locator("tr.status-suggested").count(), waiting - 1);

  // Code a passage by selecting part of a word: type-ahead on the Thai name, Enter.
  await selectWords(page, "สละ");
  await page.fill(".code-form .typeahead", "คุณลักษณะ");
  await saved(page, () => page.press(".code-form .typeahead", "Enter"));
  const manual = page.locator("tr.status-accepted", { hasText: "“เสียสละ”" });
  assert.equal(await manual.count(), 1, "the selection was widened to the whole word and coded");
  assert.match(await manual.innerText(), /คุณลักษณะแกนนำ/);

  // A number key codes a selection with that top-level code.
  await selectWords(page, "กองทุนสวัสดิการ");
  await saved(page, () => page.keyboard.press("2"));
  const quick = page.locator("tr.status-accepted", { hasText: "“กองทุนสวัสดิการ" });
  assert.ok((await quick.count()) >= 1);
  assert.match(await quick.first().innerText(), /^\s*2 โครงการ/);
  // Highlights are drawn in the codes' colours.
  assert.ok((await page.locator(".text mark").count()) > 0);

  // A passage becomes a SWOT item of a community, linked back to the text.
  await selectWords(page, "กองทุนสวัสดิการ");
  await page.selectOption('.code-form select[name="quadrant"]', "s");
  await saved(page, () => page.click('.code-form button[formaction$="/swot"]'));
  await shot("document-coded");
  const community = await page.locator('.code-form select[name="community"] option').first().textContent();

  // A failed save says why and keeps what was typed.
  await page.fill(".memos .memo-form textarea", "   ");
  await page.click(".memos .memo-form button");
  await page.waitForSelector(".memos .save-failed");
  assert.match(await page.locator(".memos .save-failed").innerText(), /กรุณากรอก/);
  assert.equal(await page.locator(".memos .memo-form textarea").inputValue(), "   ");
  await page.fill(".memos .memo-form textarea", "ผู้นำพูดถึงกองทุนสวัสดิการสองครั้ง");
  await saved(page, () => page.click(".memos .memo-form button"));
  assert.equal(await page.locator(".memos .memo-text", { hasText: "ผู้นำพูดถึงกองทุนสวัสดิการสองครั้ง" }).count(), 1);

  // The SWOT board shows the item in Strengths, and its link opens the passage.
  await page.click("text=" + "เขตธนบุรี");
  await page.click(`#communities a:near(:text("${community.trim()}"))`);
  await page.waitForSelector(".swot-board");
  const strength = page.locator("#quadrant-s li", { hasText: "กองทุนสวัสดิการ" });
  assert.equal(await strength.count(), 1);
  await shot("swot");
  await saved(page, () => strength.locator("a.source").click());
  assert.match(await page.locator("mark#focus").innerText(), /กองทุนสวัสดิการ/);

  // The network: an actor added by hand, tied to the site.
  await page.goto(rian.url);
  await page.click('a[href$="/network"]');
  const studyId = page.url().match(/\/studies\/(\d+)\//)[1];
  await page.fill('details.panel input[name="name"]', "มูลนิธิทดสอบ <ภาคี>");
  await page.selectOption('details.panel select[name="kind"]', "ngo");
  await page.selectOption('details.panel select[name="site"]', { label: "เขตธนบุรี" });
  await saved(page, () => page.click("details.panel button"));
  assert.equal(await page.locator("section.actor h3", { hasText: "มูลนิธิทดสอบ <ภาคี>" }).count(), 1);
  await shot("network");

  // The plan: an item with who, when and progress; then undo takes it back.
  await page.goto(rian.url);
  await page.click("text=เขตธนบุรี");
  const site = page.url();
  await page.fill('#plan input[name="what"]', "ขยายกองทุนสวัสดิการให้ครบทุกชุมชน");
  await page.fill('#plan input[name="who"]', "สภาองค์กรชุมชน");
  await page.fill('#plan input[name="due"]', "2024-09-30");
  await page.selectOption('#plan select[name="status"]', "in_progress");
  await page.fill('#plan input[name="progress"]', "40");
  await saved(page, () => page.click('#plan form.grid-form button'));
  const plan = page.locator("table.plan tr", { hasText: "ขยายกองทุนสวัสดิการให้ครบทุกชุมชน" });
  assert.equal(await plan.count(), 1);
  assert.match(await plan.innerText(), /30 กันยายน 2567/);
  assert.match(await plan.innerText(), /40%/);
  await shot("site-plan");
  await saved(page, () => page.click("form.undo button"));
  assert.equal(await page.locator("table.plan tr", { hasText: "ขยายกองทุนสวัสดิการให้ครบทุกชุมชน" }).count(), 0, "undo took the plan item back");
  await page.goto(`${rian.url}/studies/${studyId}/activity`);
  assert.ok((await page.locator("tr.undone").count()) >= 1, "the log shows the undone change");
  await shot("activity");

  // Reload every page: all the rest is still there.
  await page.goto(`${rian.url}/studies/${studyId}/network`);
  assert.equal(await page.locator("section.actor h3", { hasText: "มูลนิธิทดสอบ <ภาคี>" }).count(), 1);
  await page.goto(`${rian.url}/studies/${studyId}/codebook`);
  await shot("codebook");
  await page.goto(site);
  await page.click(`#communities a:near(:text("${community.trim()}"))`);
  assert.equal(await page.locator("#quadrant-s li", { hasText: "กองทุนสวัสดิการ" }).count(), 1);
  await page.goto(`${rian.url}/studies/${studyId}/memos?q=${encodeURIComponent("กองทุน")}`);
  assert.equal(await page.locator(".memo-text", { hasText: "ผู้นำพูดถึงกองทุนสวัสดิการสองครั้ง" }).count(), 1);
  await shot("memos");
  await page.goto(forum);
  await page.click("a.button >> nth=0");
  assert.equal(await page.locator(`#${firstId}`).getAttribute("class"), "status-accepted");
  assert.equal(await page.locator("tr.status-accepted", { hasText: "“เสียสละ”" }).count(), 1);

  // Search from the box in the header: กองทุน inside the unspaced compound
  // กองทุนสวัสดิการ is found as a word, highlighted, and the memo written above too.
  await page.fill('form.top-search input[name="q"]', "กองทุน");
  await page.press('form.top-search input[name="q"]', "Enter");
  await page.waitForURL(/\/search\?/);
  assert.ok((await page.locator("li.hit mark").count()) > 0, "highlighted hits");
  assert.equal(await page.locator("li.hit", { hasText: "ผู้นำพูดถึงกองทุนสวัสดิการสองครั้ง" }).count(), 1, "the memo is found");
  await shot("search");
  // Narrow to documents by the facet, then open the first hit at its passage.
  await page.click('aside.facets a:has-text("เอกสาร")');
  assert.ok((await page.locator("a.chip").count()) === 1, "the filter shows as a chip");
  await page.click("li.hit p.snippet a >> nth=0");
  await page.waitForSelector(".text[data-document]");
  assert.match(page.url(), /\/documents\/\d+\?span=\d+-\d+#focus$/);
  // Keyword in context, from the results.
  await page.goto(`${rian.url}/search/concordance?q=${encodeURIComponent("ชุมชน")}`);
  assert.ok((await page.locator("table.kwic td.kw").count()) > 0);
  await shot("concordance");

  // The framework matrix over every code: open a cell that holds the accepted passages,
  // write its summary, see it in the matrix, and follow a quote to its span.
  await page.goto(`${rian.url}/studies/${studyId}/matrix?level=all`);
  await shot("matrix");
  const filled = page.locator("td.cell a.count").filter({ hasNotText: /^0$/ });
  assert.ok((await filled.count()) > 0, "accepted codings are counted in the matrix");
  await filled.first().click();
  await page.waitForSelector("ol.quotes li.quote");
  await page.fill("#summary-text", "ผู้นำเสียสละ เป็นแบบอย่างของชุมชน");
  await saved(page, () => page.click(".summary-form button"));
  assert.match(page.url(), /\/matrix\?/);
  assert.equal(await page.locator("td.cell p.summary", { hasText: "ผู้นำเสียสละ" }).count(), 1, "the summary sits in its cell");
  await page.locator("td.cell", { hasText: "ผู้นำเสียสละ" }).locator("a.count").click();
  assert.equal(await page.inputValue("#summary-text"), "ผู้นำเสียสละ เป็นแบบอย่างของชุมชน");
  await shot("matrix-cell");
  await page.click("ol.quotes a.to-span >> nth=0");
  await page.waitForSelector(".text[data-document]");
  assert.match(page.url(), /\/documents\/\d+\?span=\d+-\d+#focus$/);

  // Codes, words, timeline: drawn as SVG with Thai labels.
  await page.goto(`${rian.url}/studies/${studyId}/codes?level=all`);
  assert.ok((await page.locator("figure.chart svg").count()) > 0);
  await shot("codes");
  await page.goto(`${rian.url}/studies/${studyId}/words`);
  assert.ok((await page.locator("figure.chart svg text", { hasText: "ชุมชน" }).count()) > 0, "Thai words in the chart");
  await shot("words");
  await page.goto(`${rian.url}/studies/${studyId}/timeline`);
  assert.ok((await page.locator("figure.chart svg").count()) === 1);
  await shot("timeline");

  // The map: every province drawn offline, the ten sites on it, each a link to its page.
  await page.goto(`${rian.url}/studies/${studyId}/map`);
  assert.equal(await page.locator("figure.map svg path.province").count(), 77);
  assert.equal(await page.locator("figure.map svg .site").count(), 10);
  await shot("map");
  await page.locator("figure.map svg a").first().click();
  assert.match(page.url(), /\/sites\/\d+$/);

  // The network: select an actor, see its ties and their sites.
  await page.goto(`${rian.url}/studies/${studyId}/network/graph`);
  await page.click('[data-select-node^="actor-"] >> nth=0');
  assert.ok(!(await page.locator("#actor-panel").isHidden()), "the actor's panel opens");
  assert.ok((await page.locator("#actor-ties li a").count()) > 0, "its ties link to sites");
  assert.ok((await page.locator(".graph .edge.chosen").count()) > 0, "its ties are highlighted");
  await page.click("[data-zoom-by='1.25']");
  assert.match(await page.locator(".graph svg .viewport").getAttribute("transform"), /scale\(1\.25\)/);
  await shot("network");

  // The data-return report: the printable page from the site page's form, printed to A4
  // by the browser itself, and the PDF download typeset by rian.
  await page.goto(rian.url);
  await page.click("text=เขตธนบุรี");
  await page.click('#report button[value="html"]');
  assert.match(page.url(), /\/sites\/\d+\/report\?format=html$/);
  assert.equal(await page.locator("h1").textContent(), "รายงานคืนข้อมูลแก่ชุมชน");
  assert.ok((await page.locator("table.verify tbody tr").count()) >= 10, "every item to verify has a row");
  await page.evaluate(() => document.fonts.ready);
  assert.ok(await page.evaluate(() => document.fonts.check('16px "Sarabun"', "ก")), "Sarabun in the report");
  await shot("report");
  if (!contextOptions.isMobile) {
    const printed = await page.pdf({ format: "A4", printBackground: true });
    assert.ok(printed.subarray(0, 5).toString() === "%PDF-", "the browser prints the report");
    writeFileSync(path.join(shots, `${name}-report-printed.pdf`), printed);
  }
  const [download] = await Promise.all([page.waitForEvent("download"), page.click(".report-tools a[href*='format=pdf']")]);
  const file = path.join(shots, `${name}-report.pdf`);
  await download.saveAs(file);
  assert.equal(readFileSync(file).subarray(0, 5).toString(), "%PDF-", "rian's PDF downloads");

  assert.deepEqual(problems, [], "no script errors on any page");
}

test("the workbench flow on a laptop", async (t) => {
  await flow(t, "desktop", { viewport: { width: 1280, height: 900 }, locale: "th-TH" });
});

test("the same flow on a 360 px phone", async (t) => {
  await flow(t, "phone", { viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: "th-TH" });
});

test("signing in to a shared server, saving a form, signing out", async (t) => {
  const password = "รหัสผ่านของทีมวิจัย";
  const rian = await startRian([["สมศรี", "admin", password], ["ผู้อ่าน", "viewer", password]]);
  const browser = await launch();
  t.after(async () => {
    await browser.close();
    rian.stop();
  });
  mkdirSync(shots, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "th-TH" });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));

  // Any page asks to sign in first, and comes back to it after.
  await page.goto(`${rian.url}/sites/1`);
  assert.match(page.url(), /\/login\?next=%2Fsites%2F1$/);
  await page.fill('input[name="name"]', "สมศรี");
  await page.fill('input[name="password"]', "not the password");
  await page.click("form.login button");
  assert.ok((await page.locator("[role=alert]").textContent()).includes("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"));
  assert.equal(await page.inputValue('input[name="name"]'), "สมศรี", "the name typed is kept");
  await page.screenshot({ path: path.join(shots, "login-refused.png"), fullPage: true });
  await page.fill('input[name="password"]', password);
  await saved(page, () => page.click("form.login button"));
  assert.match(page.url(), /\/sites\/1$/);
  assert.ok((await page.locator("header .who").textContent()).includes("สมศรี"));

  // A form saved by the page's script carries the session's CSRF token.
  await page.fill('#plan form[action$="/plan"] input[name="what"]', "อบรมผู้นำรุ่นใหม่ <b>ทุกชุมชน</b>");
  await saved(page, () => page.click('#plan form[action$="/plan"] button'));
  assert.equal(await page.locator("table.plan tr", { hasText: "อบรมผู้นำรุ่นใหม่ <b>ทุกชุมชน</b>" }).count(), 1);
  await page.goto(`${rian.url}/studies/1/activity`);
  assert.ok((await page.locator("main").textContent()).includes("สมศรี"), "the log names who changed it");
  await page.screenshot({ path: path.join(shots, "signed-in-activity.png"), fullPage: true });

  // A session that ends while a form is open: the form says so, and keeps what was typed.
  await page.goto(`${rian.url}/sites/1`);
  await page.click("#plan details.panel > summary");
  await page.fill('#plan form[action$="/plan"] input[name="what"]', "ข้อความที่พิมพ์ก่อนหมดเวลา");
  await context.clearCookies();
  await page.click('#plan form[action$="/plan"] button');
  await page.locator('#plan form[action$="/plan"] .save-failed').waitFor();
  assert.ok((await page.locator('#plan form[action$="/plan"] .save-failed').textContent()).includes("หมดเวลาเข้าสู่ระบบ"));
  assert.equal(await page.inputValue('#plan form[action$="/plan"] input[name="what"]'), "ข้อความที่พิมพ์ก่อนหมดเวลา");

  // A viewer reads, and is not shown the forms they may not send; signing out ends it.
  await page.goto(`${rian.url}/login`);
  await page.fill('input[name="name"]', "ผู้อ่าน");
  await page.fill('input[name="password"]', password);
  await saved(page, () => page.click("form.login button"));
  await page.goto(`${rian.url}/sites/1`);
  assert.ok((await page.locator("header .who").textContent()).includes("ผู้อ่าน"));
  assert.ok(await page.locator('#plan form[action$="/plan"]').isHidden(), "no add form for a viewer");
  await page.screenshot({ path: path.join(shots, "viewer-site.png"), fullPage: true });
  await saved(page, () => page.click("header form button.link"));
  assert.match(page.url(), /\/login$/);
  await page.goto(`${rian.url}/`);
  assert.match(page.url(), /\/login\?next=%2F$/);
  assert.deepEqual(problems, [], "no script errors on any page");
});
