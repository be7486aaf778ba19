/*
 * app.test.js - the web app in a real browser against a real `myotrack
 * serve`: the whole story from a clinician's first assessment to a fall
 * alert, the questionnaire's early stop and its errors, and the properties
 * every page must keep (labels, keyboard, same-origin only, CSP, 375 px,
 * print).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startServer, openBrowser, loginUi, seedPatient, screenshotPath, ApiClient, ACCOUNTS,
} from './harness.js';

let server;
let seeded; /* a patient with two assessments and an account, for the page-wide checks */
const browsers = [];

async function browser(opts) {
    const b = await openBrowser(server, opts);
    browsers.push(b);
    return b;
}

before(async () => {
    server = await startServer();
    seeded = await seedPatient(server, 'Grace Seeded');
});

after(async () => {
    for (const b of browsers) await b.close().catch(() => {});
    if (server) await server.stop();
});

/* Answers every warning sign (all "No" unless given) and goes on. */
async function answerWarningSigns(page, yes = []) {
    await page.waitForSelector('[data-warning] input');
    const keys = await page.$$eval('[data-warning]', (fs) => fs.map((f) => f.dataset.warning));
    assert.ok(keys.length >= 10, 'the warning signs are asked');
    for (const k of keys) await page.check(`#ws-${k}-${yes.includes(k) ? 'yes' : 'no'}`);
    await page.click('#warning-next');
}

/* Every page of the app, for the page-wide checks: [role, url]. */
function allPages(s) {
    const id = s.id;
    return [
        ['anonymous', '/'],
        ['clinician', '/dashboard.html'],
        ['clinician', `/patient.html?id=${id}`],
        ['clinician', `/assess.html?patient=${id}`],
        ['clinician', `/result.html?patient=${id}&assessment=${s.assessment}`],
        ['clinician', `/progress.html?patient=${id}`],
        ['clinician', `/report.html?patient=${id}`],
        ['patient', '/home.html'],
        ['patient', `/progress.html?patient=${id}`],
        ['admin', '/admin.html'],
    ];
}

async function browsersByRole(opts) {
    const out = { anonymous: await browser(opts), clinician: await browser(opts), patient: await browser(opts), admin: await browser(opts) };
    await loginUi(out.clinician.page, ACCOUNTS.clinician);
    await loginUi(out.patient.page, seeded.account);
    await loginUi(out.admin.page, ACCOUNTS.admin);
    if (!seeded.assessment) {
        const list = await seeded.clinician.call('GET', `/patients/${seeded.id}/assessments`);
        seeded.assessment = list.data[0].id;
    }
    return out;
}

/* Loads a page and waits until its scripts have filled it in. */
async function visit(page, url) {
    const res = await page.goto(url);
    await page.waitForLoadState('networkidle');
    return res;
}

test('story: clinician assesses, patient logs sessions and a fall, alert and progress reach the clinician', async () => {
    const clin = await browser();
    const page = clin.page;

    await loginUi(page, ACCOUNTS.clinician);
    assert.match(page.url(), /dashboard\.html$/);

    /* a new patient */
    await page.fill('#np-name', 'Ada Story');
    await page.selectOption('#np-sex', 'female');
    await page.fill('#np-birth', '1944-03-02');
    await Promise.all([page.waitForURL(/patient\.html\?id=\d+/), page.click('#new-patient button[type=submit]')]);
    const patientId = new URL(page.url()).searchParams.get('id');
    await page.waitForSelector('#patient-links a');

    /* the questionnaire, typing units as people do */
    await Promise.all([page.waitForURL(/assess\.html/), page.click('text=New assessment')]);
    await answerWarningSigns(page);
    await page.waitForSelector('#rest:not([hidden])');
    await page.selectOption('#q-person-sex', 'female');
    await page.fill('#q-person-age', '81');
    await page.fill('#q-person-height', '5 ft 1 in');
    await page.fill('#q-person-weight', '115 lb');
    for (const [k, v] of [['strength', '1'], ['walking', '1'], ['chair', '1'], ['stairs', '2'], ['falls', '1']]) {
        await page.selectOption(`#q-sarc_f-${k}`, v);
    }
    await page.fill('#q-measurements-grip', '53 lb');
    await page.fill('#q-measurements-chair_stand_5x', '18.4 s');
    await page.fill('#q-measurements-gait_speed', '0.7 m/s');
    await page.fill('#q-measurements-tug', '0:14');
    await page.fill('#q-measurements-calf', '12 in');
    await page.fill('#q-measurements-sppb-total', '7');
    await page.check('#q-preferences-equipment-chair');
    await page.screenshot({ path: screenshotPath('assess'), fullPage: true });
    await Promise.all([page.waitForURL(/result\.html\?patient=\d+&assessment=\d+/), page.click('#submit-assessment')]);
    await page.waitForSelector('#definitions-body table');

    /* the result: triage first, then the definitions with the typed grip converted */
    const order = await page.evaluate(() => {
        const t = document.querySelector('#triage');
        const d = document.querySelector('#definitions');
        return Boolean(t.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(order, 'the triage section comes before the definitions');
    assert.ok(await page.isVisible('#triage-advice .advice-action'), 'the triage action is shown');
    const ewgsop2 = await page.textContent('[data-definition="ewgsop2"]');
    assert.match(ewgsop2, /24\.04/, '53 lb reached the engine as 24.04 kg');
    assert.match(ewgsop2, /EWGSOP2/);
    assert.match(await page.textContent('#disclaimer'), /myotrack informs and does not diagnose/);
    await page.screenshot({ path: screenshotPath('result'), fullPage: true });

    /* an earlier visit through the API so that progress has two points */
    const api = await new ApiClient(server).login(ACCOUNTS.clinician);
    await api.call('POST', `/patients/${patientId}/assessments?measured_on=2026-01-15`, {
        person: { sex: 'female', age: 81, height: '5 ft 1 in', weight: '118 lb' },
        measurements: { grip: '60 lb', chair_stand_5x: 16.5, gait_speed: '0.8 m/s', sppb: { total: 8 } },
    });

    /* the admin gives the patient an account through the admin page */
    const adm = await browser();
    await loginUi(adm.page, ACCOUNTS.admin);
    await adm.page.waitForSelector('#users table');
    await adm.page.fill('#u-name', 'ada');
    await adm.page.fill('#u-password', 'ada-pass-12345');
    await adm.page.selectOption('#u-role', 'patient');
    await adm.page.selectOption('#u-patient', String(patientId));
    await adm.page.click('#user-form button[type=submit]');
    await adm.page.waitForSelector('#user-status .message.ok');
    assert.match(await adm.page.textContent('#users'), /ada/);
    await adm.page.screenshot({ path: screenshotPath('admin'), fullPage: true });

    /* the patient logs two sessions and a check-in with a fall */
    const pat = await browser();
    const pp = pat.page;
    await loginUi(pp, { username: 'ada', password: 'ada-pass-12345' });
    assert.match(pp.url(), /home\.html$/);
    await pp.waitForSelector('#today .exercise');
    assert.match(await pp.textContent('#today'), /How:/, 'the how-to text is shown');
    for (const [date, reps] of [['2026-02-01', '10'], ['2026-02-03', '12']]) {
        const first = pp.locator('#session-exercises fieldset').first();
        await pp.fill('#s-date', date);
        await pp.selectOption('#s-effort', '6');
        await pp.selectOption('#s-pain', '2');
        await first.locator('[data-field="sets"]').selectOption('2');
        await first.locator('[data-field="reps"], [data-field="hold_seconds"]').fill(reps);
        await pp.click('#session-form button[type=submit]');
        await pp.waitForSelector(`#session-status .message.ok:has-text("${date}")`);
    }
    const sessions = await api.call('GET', `/patients/${patientId}/sessions`);
    assert.equal(sessions.data.length, 2, 'two sessions stored');
    await pp.selectOption('#c-pain', '3');
    await pp.check('#c-fall-yes');
    await pp.click('#checkin-form button[type=submit]');
    await pp.waitForSelector('#checkin-advice [role=alert]');
    assert.match(await pp.textContent('#checkin-advice'), /fall/i);
    await pp.screenshot({ path: screenshotPath('home'), fullPage: true });

    /* the fall alert is on the clinician's dashboard, first among the alerts */
    await visit(page, '/dashboard.html');
    await page.waitForSelector('#alerts .alert-item');
    const fall = page.locator(`#alerts .alert-item[data-kind="fall"]`);
    assert.ok(await fall.count() >= 1, 'the fall alert is listed');
    assert.match(await fall.first().textContent(), /Ada Story/);
    const alertsBeforePatients = await page.evaluate(() =>
        Boolean(document.querySelector('#alerts').compareDocumentPosition(document.querySelector('#patients')) & Node.DOCUMENT_POSITION_FOLLOWING));
    assert.ok(alertsBeforePatients, 'alerts come before the patient list');
    await page.screenshot({ path: screenshotPath('dashboard'), fullPage: true });

    /* progress: one point per assessment and the thresholds */
    const assessments = await api.call('GET', `/patients/${patientId}/assessments`);
    assert.equal(assessments.data.length, 2);
    await visit(page, `/progress.html?patient=${patientId}`);
    await page.waitForSelector('[data-measure="grip"] svg');
    const points = await page.locator('figure[data-measure="grip"] circle.point').count();
    assert.equal(points, assessments.data.length, 'one grip point per assessment');
    const thresholds = await page.locator('figure[data-measure="grip"] line.threshold').count();
    assert.ok(thresholds >= 1, 'threshold lines are drawn');
    const label = await page.locator('figure[data-measure="grip"] circle.point').first().getAttribute('aria-label');
    assert.match(label, /Grip strength .* kg on \d{4}-\d{2}-\d{2}/);
    await page.screenshot({ path: screenshotPath('progress'), fullPage: true });

    /* the patient page and the report */
    await visit(page, `/patient.html?id=${patientId}`);
    await page.waitForSelector('#assessments table');
    await page.screenshot({ path: screenshotPath('patient'), fullPage: true });
    await visit(page, `/report.html?patient=${patientId}`);
    await page.waitForSelector('#r-progress');
    await page.screenshot({ path: screenshotPath('report'), fullPage: true });

    /* marking the fall reviewed takes it off the list */
    await visit(page, '/dashboard.html');
    await page.waitForSelector('#alerts .alert-item[data-kind="fall"]');
    const before = await page.locator('#alerts .alert-item').count();
    await page.locator('#alerts .alert-item[data-kind="fall"] button').first().click();
    await page.waitForFunction((n) => document.querySelectorAll('#alerts .alert-item').length === n - 1, before);

    await page.goto('/');
    await page.screenshot({ path: screenshotPath('index-logged-in-redirect'), fullPage: true });
    const anon = await browser();
    await anon.page.goto('/');
    await anon.page.waitForSelector('#username');
    await anon.page.screenshot({ path: screenshotPath('index'), fullPage: true });
});

test('questionnaire: a red-flag warning sign stops with emergency advice before any measurement question', async () => {
    const s = await seedPatient(server, 'Rita Redflag', { dates: [] });
    const b = await browser();
    await loginUi(b.page, ACCOUNTS.clinician);
    await visit(b.page, `/assess.html?patient=${s.id}`);
    assert.equal(await b.page.isVisible('#q-measurements-grip'), false, 'no measurement question before the warning signs');
    await answerWarningSigns(b.page, ['face_droop']);
    const advice = b.page.locator('#stop [role=alert]');
    await advice.waitFor();
    const text = await advice.textContent();
    assert.match(text, /Emergency/);
    assert.match(text, /emergency number|911|112|999/i);
    assert.equal(await b.page.isVisible('#q-measurements-grip'), false, 'the measurement questions stay hidden');
    assert.equal(await b.page.isVisible('#q-person-age'), false, 'the questions stop');
    assert.equal(await b.page.evaluate(() => document.activeElement && document.activeElement.id), 'stop-advice', 'focus moves to the advice');
    const list = await s.clinician.call('GET', `/patients/${s.id}/assessments`);
    assert.equal(list.data.length, 0, 'nothing was stored');
    await b.page.screenshot({ path: screenshotPath('assess-emergency-stop'), fullPage: true });
});

test('questionnaire: a 422 from the server is shown next to the field it names, and focus moves there', async () => {
    const s = await seedPatient(server, 'Ivan Invalid', { dates: [] });
    const b = await browser();
    await loginUi(b.page, ACCOUNTS.clinician);
    await visit(b.page, `/assess.html?patient=${s.id}`);
    await answerWarningSigns(b.page);
    await b.page.waitForSelector('#rest:not([hidden])');
    await b.page.selectOption('#q-person-sex', 'female');
    await b.page.fill('#q-person-age', '75');
    await b.page.fill('#q-measurements-grip', '250 kg');
    await b.page.click('#submit-assessment');
    const grip = b.page.locator('#q-measurements-grip');
    await b.page.waitForSelector('#q-measurements-grip[aria-invalid="true"]');
    const describedby = (await grip.getAttribute('aria-describedby')).split(/\s+/);
    const errorId = describedby.find((id) => id.endsWith('-error'));
    assert.ok(errorId, 'aria-describedby names the error');
    const message = await b.page.textContent('#' + errorId);
    assert.match(message, /250/);
    const sameField = await b.page.evaluate((id) => document.getElementById(id).closest('.field') === document.getElementById('q-measurements-grip').closest('.field'), errorId);
    assert.ok(sameField, 'the message is next to the field');
    assert.equal(await b.page.evaluate(() => document.activeElement.id), 'q-measurements-grip', 'focus is on the field');
    assert.match(b.page.url(), /assess\.html/, 'still on the questionnaire');

    /* an unknown unit names its field too */
    await b.page.fill('#q-measurements-grip', '');
    await b.page.fill('#q-person-weight', '30 stone');
    await b.page.click('#submit-assessment');
    await b.page.waitForSelector('#q-person-weight[aria-invalid="true"]');
    assert.equal(await b.page.evaluate(() => document.activeElement.id), 'q-person-weight');
    assert.equal(await b.page.locator('#q-measurements-grip[aria-invalid="true"]').count(), 0, 'the old error is cleared');
    await b.page.screenshot({ path: screenshotPath('assess-422'), fullPage: true });
});

test('home: a check-in with a warning sign shows the urgent advice at once, first on the page', async () => {
    const s = await seedPatient(server, 'Una Urgent');
    const b = await browser();
    const page = b.page;
    await loginUi(page, s.account);
    await page.waitForSelector('#today .exercise');
    await page.check('#c-sym-breathing_trouble');
    await page.click('#checkin-form button[type=submit]');
    const advice = page.locator('#checkin-advice [role=alert]');
    await advice.waitFor();
    const text = await advice.textContent();
    assert.match(text, /!! (Emergency|Urgent)/, 'the level is marked !!');
    assert.ok(await page.locator('#checkin-advice .advice.severe').count() === 1, 'the red advice box');
    const first = await page.evaluate(() => {
        const a = document.querySelector('#checkin-advice');
        const plan = document.querySelector('#today');
        return Boolean(a.compareDocumentPosition(plan) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(first, 'the advice comes before the exercises');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'checkin-advice', 'focus moves to the advice');
    const alerts = await s.clinician.call('GET', '/alerts');
    assert.ok(alerts.data.some((a) => String(a.patient_id) === String(s.id) && a.kind === 'red_flag'), 'a red-flag alert reaches the clinician');
    await page.screenshot({ path: screenshotPath('home-urgent-checkin'), fullPage: true });
});

test('accessibility: every input, select and textarea on every page has a label', async () => {
    const by = await browsersByRole();
    const problems = [];
    for (const [role, url] of allPages(seeded)) {
        const page = by[role].page;
        await visit(page, url);
        if (url.startsWith('/assess')) {
            await answerWarningSigns(page);
            await page.waitForSelector('#rest:not([hidden])');
        }
        const unlabelled = await page.$$eval('input, select, textarea', (els) => els
            .filter((e) => e.type !== 'hidden')
            .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
            .map((e) => e.outerHTML.slice(0, 120)));
        const count = await page.$$eval('input, select, textarea', (els) => els.length);
        if (url === '/' || url.startsWith('/assess') || url.startsWith('/home') || url.startsWith('/admin')) {
            assert.ok(count > 0, `${url} has form fields`);
        }
        for (const u of unlabelled) problems.push(`${url}: ${u}`);
        const structure = await page.evaluate(() => ({
            lang: document.documentElement.lang,
            h1: document.querySelectorAll('h1').length,
            main: document.querySelectorAll('main').length,
        }));
        assert.deepEqual(structure, { lang: 'en', h1: 1, main: 1 }, `${url}: lang, one h1, one main`);
    }
    assert.deepEqual(problems, [], 'unlabelled fields');
});

test('keyboard: logging in with Tab and Enter only', async () => {
    const b = await browser();
    const page = b.page;
    await page.goto('/');
    await page.waitForSelector('#username');
    await page.evaluate(() => document.activeElement && document.activeElement.blur());
    const focusedId = () => page.evaluate(() => document.activeElement && document.activeElement.id);
    let steps = 0;
    while ((await focusedId()) !== 'username' && steps++ < 10) await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'username', 'Tab reaches the username field');
    await page.keyboard.type(ACCOUNTS.clinician.username);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'password', 'Tab goes on to the password');
    await page.keyboard.type(ACCOUNTS.clinician.password);
    await page.keyboard.press('Tab');
    assert.equal(await focusedId(), 'login-button', 'then to the button');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    await page.keyboard.press('Shift+Tab');
    await Promise.all([page.waitForURL(/dashboard\.html/), page.keyboard.press('Enter')]);
});

test('privacy: no request leaves the origin on any page', async () => {
    const by = await browsersByRole();
    for (const [role, url] of allPages(seeded)) await visit(by[role].page, url);
    for (const [role, b] of Object.entries(by)) {
        assert.ok(b.watch.requests > 0, `${role}: requests were seen`);
        assert.deepEqual(b.watch.foreign, [], `${role}: requests to another origin`);
    }
});

test('security: pages carry a Content-Security-Policy and the console shows no CSP violation', async () => {
    const by = await browsersByRole();
    for (const [role, url] of allPages(seeded)) {
        const res = await visit(by[role].page, url);
        const csp = res.headers()['content-security-policy'];
        assert.ok(csp, `${url}: Content-Security-Policy header`);
        assert.match(csp, /default-src 'self'/, `${url}: CSP allows only this origin`);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${url}: no unsafe-inline`);
        if (url.startsWith('/assess')) await answerWarningSigns(by[role].page);
        assert.deepEqual(await by[role].cspViolations(), [], `${url}: securitypolicyviolation events`);
    }
    for (const [role, b] of Object.entries(by)) {
        assert.deepEqual(b.watch.csp, [], `${role}: CSP messages on the console`);
        assert.deepEqual(b.watch.consoleErrors, [], `${role}: console errors`);
    }
});

test('layout: at a 375 px wide viewport no page scrolls horizontally', async () => {
    const by = await browsersByRole({ viewport: { width: 375, height: 740 } });
    const wide = [];
    for (const [role, url] of allPages(seeded)) {
        const page = by[role].page;
        await visit(page, url);
        if (url.startsWith('/assess')) {
            await answerWarningSigns(page);
            await page.waitForSelector('#rest:not([hidden])');
        }
        const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
        if (m.sw > m.cw) wide.push(`${url}: ${m.sw} > ${m.cw}`);
        const name = url.replace(/^\//, '').replace(/\.html.*$/, '') || 'index';
        await page.screenshot({ path: screenshotPath(`mobile-${role}-${name}`), fullPage: true });
    }
    assert.deepEqual(wide, []);
});

test('print: the report hides navigation, buttons and the form when printed', async () => {
    const b = await browser();
    await loginUi(b.page, ACCOUNTS.clinician);
    const page = b.page;
    await visit(page, `/report.html?patient=${seeded.id}`);
    await page.waitForSelector('#r-progress');
    assert.ok(await page.isVisible('#site-nav'), 'the navigation shows on screen');
    assert.ok(await page.isVisible('#print-button'), 'the print button shows on screen');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#site-nav'), false, 'no navigation in print');
    assert.equal(await page.isVisible('#range-form'), false, 'no date form in print');
    const visibleButtons = await page.$$eval('button, .button', (els) => els.filter((e) => e.getClientRects().length > 0).length);
    assert.equal(visibleButtons, 0, 'no buttons in print');
    const colours = await page.evaluate(() => ({ fg: getComputedStyle(document.body).color, bg: getComputedStyle(document.body).backgroundColor }));
    assert.equal(colours.fg, 'rgb(0, 0, 0)', 'black text');
    assert.ok(['rgb(255, 255, 255)', 'rgba(0, 0, 0, 0)'].includes(colours.bg), 'white paper');
    assert.ok(await page.isVisible('#r-progress'), 'the report itself prints');
    assert.match(await page.textContent('#disclaimer'), /does not diagnose/);
    await page.screenshot({ path: screenshotPath('report-print'), fullPage: true });
});
