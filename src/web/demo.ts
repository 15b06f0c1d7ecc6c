// The demo page's script (built to out/web/demo.js; `../browser.js` stays an import of
// /dist/browser.js, the public bundle). Everything is computed in the interphase worker; this
// thread only renders, so the page stays responsive during long jobs.
import { proxy, startWorker, type DataInfo, type HullResult, type InterfaceResult, type InterphaseWorker, type ScreenSummary, type WindowResult } from '../browser.js';

interface DemoState {
  /** ms from navigation start to the first result on screen. */
  firstResultMs?: number;
  workerReadyMs?: number;
  data?: DataInfo;
  window?: WindowResult;
  interface?: InterfaceResult;
  hull?: HullResult;
  screen?: ScreenSummary;
  /** Number of completed computations (the e2e test waits on it). */
  runs: number;
  busy: boolean;
  error?: string;
}

const state: DemoState = { runs: 0, busy: false };
(globalThis as unknown as { interphaseDemo: DemoState }).interphaseDemo = state;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`#${id} missing`);
  return e as T;
};
const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f3 = (v: number | null): string => (v === null ? '∞' : Number.isFinite(v) ? v.toFixed(3) : String(v));
const f4 = (v: number): string => v.toFixed(4);

function table(head: string[], rows: string[][], numeric: boolean[]): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
}

let worker: InterphaseWorker | undefined;

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function setBusy(busy: boolean): void {
  state.busy = busy;
  $<HTMLButtonElement>('compute').disabled = busy;
  $('calc').setAttribute('aria-busy', String(busy));
}

function renderWindow(w: WindowResult): void {
  const couple = `${w.element}/${w.element}+`;
  const eh = w.stable
    ? 'a stable phase'
    : w.eAboveHull !== null
      ? `${f4(w.eAboveHull)} eV/atom above the hull (window of ${w.phaseEquilibrium.join(' + ')})`
      : `not in the data (window of ${w.phaseEquilibrium.join(' + ')})`;
  $('window-summary').innerHTML =
    `<p><strong>${esc(w.formula)}</strong>: <span id="window-range" data-reduction="${w.reductionV}" data-oxidation="${w.oxidationV ?? 'Infinity'}">${f3(w.reductionV)} – ${f3(w.oxidationV)} V</span> vs ${esc(couple)}; ${esc(eh)}.</p>` +
    `<ul><li>Below ${f3(w.reductionV)} V: ${esc(w.reductionReaction ?? `stable against ${w.element} metal`)}</li>` +
    `<li>Above ${f3(w.oxidationV)} V: ${esc(w.oxidationReaction ?? 'no oxidation')}</li>` +
    `<li>Against ${esc(w.element)} metal (0 V): ${esc(w.atZeroVolts)}</li></ul>` +
    w.warnings.map((m) => `<p class="warning" role="note">Warning: ${esc(m)}</p>`).join('');
  $('window-plot').innerHTML = w.svg;
  $('window-table').innerHTML = table(
    ['from V', 'to V', `${w.element}/f.u.`, 'phases', 'reaction'],
    w.steps.map((s) => [f3(s.fromV), f3(s.toV), f4(s.evolution), s.products.join(' + '), s.reaction]),
    [true, true, true, false, false],
  );
}

function renderInterface(r: InterfaceResult): void {
  $('iface-summary').innerHTML =
    `<p><strong>${esc(r.a)} | ${esc(r.b)}</strong>: most negative reaction <span id="iface-min" data-x="${r.minimum.x}" data-energy="${r.minimum.energyPerAtom}">${f4(r.minimum.energyPerAtom)} eV/atom at x = ${f3(r.minimum.x)}</span> (x = fraction of ${esc(r.a)}):</p>` +
    `<p>${esc(r.minimum.reaction)}</p>`;
  $('iface-plot').innerHTML = r.svg;
  $('iface-table').innerHTML = table(
    ['#', 'x', 'E (eV/atom)', 'reaction'],
    r.kinks.map((k) => [String(k.index), f4(k.x), f4(k.energyPerAtom), k.reaction]),
    [true, true, true, false],
  );
}

function renderHull(h: HullResult): void {
  const dec = h.decomposition.map((p) => `${p.fraction.toFixed(3)} ${p.formula}`).join(' + ');
  const where = h.eAboveHull === null ? 'has no entry in the data' : h.stable ? 'is on the hull' : `lies ${f4(h.eAboveHull)} eV/atom above the hull`;
  $('hull-summary').innerHTML =
    `<p>${esc(h.formula)} ${esc(where)}; hull energy ${f4(h.hullFormationEnergy)} eV/atom = ${esc(dec)}. ` +
    `Chemical system ${esc(h.elements.join('–'))}: ${h.rows.length} entries, ${h.rows.filter((r) => r.stable).length} stable.</p>`;
  $('hull-plot').innerHTML = h.svg ?? '<p class="muted">(diagrams are drawn for 2 and 3 elements)</p>';
  $('hull-table').innerHTML = table(
    ['id', 'formula', 'E_form (eV/atom)', 'E_hull (eV/atom)', 'stable', 'decomposition'],
    h.rows.map((r) => [r.id, r.formula, f4(r.eFormPerAtom), f4(r.eAboveHull), r.stable ? 'yes' : '', r.decomposition]),
    [false, false, true, true, false, false],
  );
}

function firstResult(): void {
  if (state.firstResultMs === undefined) {
    state.firstResultMs = performance.now();
    $('timing').textContent = `worker ready ${state.workerReadyMs?.toFixed(0)} ms, first result ${state.firstResultMs.toFixed(0)} ms after navigation`;
  }
}

async function compute(): Promise<void> {
  if (!worker || state.busy) return;
  const formula = $<HTMLInputElement>('formula').value.trim();
  const electrode = $<HTMLInputElement>('electrode').value.trim();
  const element = $<HTMLInputElement>('element').value.trim() || 'Li';
  const status = $('calc-status');
  setBusy(true);
  status.textContent = `Computing ${formula}…`;
  status.classList.remove('error');
  const errors: string[] = [];
  const t0 = performance.now();
  const { api } = worker;
  try {
    // One after the other, each shown as soon as it is there: the window first.
    try {
      renderWindow((state.window = await api.window(formula, element)));
      firstResult();
    } catch (e) {
      errors.push(`window: ${errorText(e)}`);
    }
    try {
      renderInterface((state.interface = await api.interface(electrode, formula)));
      firstResult();
    } catch (e) {
      errors.push(`interface: ${errorText(e)}`);
    }
    try {
      renderHull((state.hull = await api.hull(formula)));
      firstResult();
    } catch (e) {
      errors.push(`hull: ${errorText(e)}`);
    }
  } finally {
    state.runs++;
    setBusy(false);
  }
  if (errors.length) {
    state.error = errors.join('; ');
    status.textContent = state.error;
    status.classList.add('error');
  } else {
    delete state.error;
    status.textContent = `Done in ${(performance.now() - t0).toFixed(0)} ms: window, interface reaction and hull of ${formula}.`;
  }
}

function showData(info: DataInfo): void {
  state.data = info;
  $('data-status').textContent =
    `${info.embedded ? 'Embedded data' : info.name}: ${info.entries.toLocaleString('en')} entries over ${info.elements.length} elements (read in ${info.loadMs.toFixed(0)} ms).`;
}

async function useFile(file: File): Promise<void> {
  if (!worker) return;
  $<HTMLInputElement>('src-file').checked = true;
  const status = $('data-status');
  status.classList.remove('error');
  status.textContent = `Reading ${file.name}…`;
  try {
    showData(
      await worker.api.useFile(
        file,
        file.name,
        proxy((n: number) => void (status.textContent = `Reading ${file.name}: ${n.toLocaleString('en')} entries…`)),
      ),
    );
    await compute();
  } catch (e) {
    status.textContent = `Cannot use ${file.name}: ${errorText(e)}`;
    status.classList.add('error');
  }
}

async function useEmbedded(): Promise<void> {
  if (!worker) return;
  showData(await worker.api.useDefault());
  await compute();
}

let jobId = 0;

async function screen(): Promise<void> {
  if (!worker) return;
  const count = Number($<HTMLInputElement>('count').value);
  const workers = Number($<HTMLInputElement>('workers').value);
  const status = $('screen-status');
  const bar = $<HTMLProgressElement>('screen-progress');
  const start = $<HTMLButtonElement>('screen-start');
  const cancel = $<HTMLButtonElement>('screen-cancel');
  const id = ++jobId;
  start.disabled = true;
  cancel.disabled = false;
  bar.value = 0;
  status.classList.remove('error');
  status.textContent = `Screening ${count.toLocaleString('en')} candidates…`;
  const onCancel = (): void => {
    status.textContent = 'Cancelling…';
    void worker!.api.cancel(id);
  };
  cancel.addEventListener('click', onCancel, { once: true });
  try {
    const s = await worker.api.screenJob(
      id,
      { count, workers, seed: 7 },
      proxy((done: number, total: number | undefined) => {
        bar.value = total ? done / total : 0;
        bar.setAttribute('aria-valuetext', `${done} of ${total ?? '?'}`);
      }),
    );
    state.screen = s;
    if (s.cancelled) {
      status.textContent = `Cancelled after ${(s.ms / 1000).toFixed(1)} s.`;
    } else {
      bar.value = 1;
      status.textContent = `Screened ${s.count.toLocaleString('en')} candidates in ${(s.ms / 1000).toFixed(1)} s on ${s.workers} workers: ${s.belowHull.toLocaleString('en')} below the hull.`;
      $('screen-result').innerHTML = table(
        ['candidate', 'formula', 'E_hull (eV/atom, signed)'],
        s.best.map((b) => [b.id, b.formula, f4(b.eAboveHull)]),
        [false, false, true],
      );
    }
  } catch (e) {
    status.textContent = `Screen failed: ${errorText(e)}`;
    status.classList.add('error');
  } finally {
    cancel.removeEventListener('click', onCancel);
    start.disabled = false;
    cancel.disabled = true;
  }
}

function wire(): void {
  $('calc').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void compute();
  });
  $('screen').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void screen();
  });
  const input = $<HTMLInputElement>('file');
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) void useFile(f);
  });
  $('src-embedded').addEventListener('change', () => void useEmbedded());
  $('src-file').addEventListener('change', () => {
    const f = input.files?.[0];
    if (f) void useFile(f);
    else input.click();
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const f = ev.dataTransfer?.files[0];
    if (f) void useFile(f);
  });
}

async function main(): Promise<void> {
  wire();
  try {
    worker = await startWorker();
    state.workerReadyMs = performance.now();
    await useEmbedded();
  } catch (e) {
    state.error = errorText(e);
    $('data-status').textContent = `The worker failed: ${state.error}`;
    $('data-status').classList.add('error');
  }
}

void main();
