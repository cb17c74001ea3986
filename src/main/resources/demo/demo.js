// The page that plays Slack for aws-onboard's demo. Everything it shows comes from the demo process on
// 127.0.0.1 (the Slack stand-in's record of what the bot sent); everything a person does here is sent to
// the bot as Slack would send it. No other host is contacted.
'use strict';

const T = {
  en: {
    local: 'The real bot, against an IAM and a Slack played inside the demo process on this machine. Nothing leaves this machine; stopping the demo forgets everything.',
    actingAs: 'Acting as', channels: 'Channels', apps: 'Apps', home: 'Home', messages: 'Messages', send: 'Send',
    try: 'Try it', phone: 'Authenticator', only: 'Only visible to you', you: 'you', edited: '(edited)',
    step1: 'As Sam, in #general: /aws-onboard alice.chen @alice groups=developers',
    step2: 'As Priya or Kenji, in #aws-approvals: Approve',
    step3: 'As Alice, in Messages: scan the QR with your phone (or use the codes on the right), Show password, Enter codes',
    step4: 'Open Home as anyone. As Priya: /aws-onboard offboard @alice left; Kenji approves',
    step5: 'Yuki and Kenji read Japanese: onboard yuki.tanaka @yuki',
    phoneHint: 'What an authenticator app shows after scanning this person\u2019s QR code. Scanning the QR with a real app (Google Authenticator, 1Password, ...) gives the same codes.',
    noCodes: 'No MFA device yet.', next: 'next', secondsLeft: 's left', setup: 'being set up', active: 'active',
    composeCommand: '/aws-onboard ...', composeDm: 'Message aws-onboard (e.g. both codes: 123456 654321)',
    fileGone: 'This file was deleted.', homeEmpty: 'Open the Home tab: the bot draws it for this person.',
    examples: 'Examples:', close: 'Close', submit: 'Submit', approver: 'approver', working: 'sending\u2026',
  },
  ja: {
    local: '本物のボットを、デモのプロセス内で動く IAM と Slack に対して動かしています。このマシンの外には何も送られません。デモを止めるとすべて消えます。',
    actingAs: '操作する人', channels: 'チャンネル', apps: 'アプリ', home: 'ホーム', messages: 'メッセージ', send: '送信',
    try: '試してみる', phone: '認証アプリ', only: 'あなただけに表示されています', you: 'あなた', edited: '（編集済み）',
    step1: 'Sam として #general で: /aws-onboard alice.chen @alice groups=developers',
    step2: 'Priya か Kenji として #aws-approvals で「承認」',
    step3: 'Alice としてメッセージで: QR をスマートフォンで読み取り（または右のコード）、パスワード表示、コード入力',
    step4: '誰かとしてホームを開く。Priya として: /aws-onboard offboard @alice left、Kenji が承認',
    step5: 'Yuki と Kenji は日本語で読みます: yuki.tanaka @yuki をオンボード',
    phoneHint: 'この人の QR コードを読み取った認証アプリが表示するコードです。本物のアプリ（Google Authenticator、1Password など）で QR を読み取っても同じコードになります。',
    noCodes: 'MFA デバイスはまだありません。', next: '次', secondsLeft: '秒', setup: '設定中', active: '有効',
    composeCommand: '/aws-onboard ...', composeDm: 'aws-onboard へのメッセージ（例: 2 つのコード 123456 654321）',
    fileGone: 'このファイルは削除されました。', homeEmpty: 'ホームタブを開くと、ボットがこの人向けに描きます。',
    examples: '例:', close: '閉じる', submit: '送信', approver: '承認者', working: '送信中\u2026',
  },
};

const EXAMPLES = {
  general: ['alice.chen @alice groups=developers first week', 'yuki.tanaka @yuki groups=readonly', 'status @alice',
    'reset-mfa @alice lost phone', 'reset-password @alice forgot it', 'offboard @alice left the company', 'help'],
  dm: [],
};

const ui = {
  lang: localStorage.getItem('demo-lang') || 'en',
  people: [], channels: [], as: null, view: 'C0GENERAL', state: null, seen: {}, busy: false,
};

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(c));
  return e;
};
const t = (key) => (T[ui.lang] && T[ui.lang][key]) || T.en[key] || key;

async function api(path, body) {
  const r = await fetch(path, body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as: ui.as, ...body }),
  });
  return r.json();
}

// ---------------------------------------------------------------- text

function escapeHtml(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
}

function nameOf(id) {
  if (id === ui.botUserId) return 'aws-onboard';
  const p = ui.people.find((x) => x.id === id);
  return p ? p.handle : id;
}

const EMOJI = {
  white_check_mark: '\u2705', bell: '\ud83d\udd14', tada: '\ud83c\udf89', alarm_clock: '\u23f0', x: '\u274c', warning: '\u26a0\ufe0f',
  mag: '\ud83d\udd0d', key: '\ud83d\udd11', iphone: '\ud83d\udcf1', heavy_multiplication_x: '\u2716\ufe0f', gear: '\u2699\ufe0f',
  wave: '\ud83d\udc4b', no_entry_sign: '\ud83d\udeab', no_entry: '\u26d4', lock: '\ud83d\udd12', hourglass_flowing_sand: '\u23f3',
};

// Slack's mrkdwn, the parts the bot uses: *bold*, _italic_, ~strike~, `code`, ```pre```, <url|text>, <@U>, <#C>, > quote.
function mrkdwn(text) {
  let s = escapeHtml(text || '');
  const pres = [];
  s = s.replace(/```([\s\S]*?)```/g, (_, code) => { pres.push(code); return `\u0000${pres.length - 1}\u0000`; });
  s = s.replace(/&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;/g, (_, id) => `<b class="mention">@${escapeHtml(nameOf(id))}</b>`);
  s = s.replace(/&lt;#([CGD][A-Z0-9]+)(?:\|([^&]*))?&gt;/g, (_, id, n) => `<b>#${escapeHtml(n || (ui.channels.find((c) => c.id === id) || {}).name || id)}</b>`);
  s = s.replace(/&lt;!(here|channel|everyone)&gt;/g, '<b>@$1</b>');
  s = s.replace(/&lt;!date\^(\d+)\^[^|&]*\|([^&]*)&gt;/g, (_, ts) => escapeHtml(new Date(ts * 1000).toLocaleString(ui.lang === 'ja' ? 'ja-JP' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' })));
  s = s.replace(/&lt;(https?:[^|&]+)\|([^&]+)&gt;/g, '<a href="$1" target="_blank" rel="noopener">$2</a>');
  s = s.replace(/&lt;(https?:[^&]+)&gt;/g, '<a href="$1" target="_blank" rel="noopener">$1</a>');
  s = s.replace(/`([^`\n]+)`/g, '<code>$1</code>');
  s = s.replace(/(^|[\s(])\*([^*\n]+)\*(?=[\s).,:;!?]|$)/g, '$1<b>$2</b>');
  s = s.replace(/(^|[\s(])_([^_\n]+)_(?=[\s).,:;!?]|$)/g, '$1<i>$2</i>');
  s = s.replace(/(^|[\s(])~([^~\n]+)~(?=[\s).,:;!?]|$)/g, '$1<s>$2</s>');
  s = s.replace(/^&gt; ?(.*)$/gm, '<span class="quote">$1</span>');
  s = s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
  s = s.replace(/\n/g, '<br>');
  s = s.replace(/\u0000(\d+)\u0000/g, (_, i) => `<pre>${pres[+i]}</pre>`);
  return s;
}

function textNode(obj) {
  const span = el('span');
  if (!obj) return span;
  if (obj.type === 'mrkdwn') span.innerHTML = mrkdwn(obj.text);
  else span.textContent = (obj.text || '').replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
  return span;
}

// ---------------------------------------------------------------- Block Kit

function button(elem, ctx) {
  const b = el('button', {
    type: 'button', class: elem.style || '', 'data-action-id': elem.action_id, 'data-value': elem.value || '',
  }, elem.text ? elem.text.text : '');
  b.addEventListener('click', async () => {
    if (elem.confirm && !window.confirm(`${elem.confirm.title ? elem.confirm.title.text + '\n\n' : ''}${elem.confirm.text ? elem.confirm.text.text : ''}`)) return;
    if (elem.url) { window.open(elem.url, '_blank', 'noopener'); }
    b.disabled = true;
    await click(ctx, elem.action_id, elem.value || '', 'button');
    b.disabled = false;
  });
  return b;
}

function select(elem, ctx) {
  const s = el('select', { 'data-action-id': elem.action_id });
  s.append(el('option', { value: '' }, elem.placeholder ? elem.placeholder.text : '\u2026'));
  for (const o of elem.options || []) {
    const opt = el('option', { value: o.value }, o.text.text);
    if (elem.initial_option && elem.initial_option.value === o.value) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener('change', () => s.value && click(ctx, elem.action_id, s.value, 'static_select'));
  return s;
}

function element(elem, ctx) {
  switch (elem.type) {
    case 'button': return button(elem, ctx);
    case 'static_select': return select(elem, ctx);
    case 'image': return el('img', { src: elem.image_url, alt: elem.alt_text || '', width: 24, height: 24 });
    case 'mrkdwn': case 'plain_text': return textNode(elem);
    default: return el('span', { class: 'hint' }, `[${elem.type}]`);
  }
}

function blocks(list, ctx) {
  const out = [];
  for (const b of list || []) {
    switch (b.type) {
      case 'header': out.push(el('div', { class: 'block header' }, textNode(b.text))); break;
      case 'divider': out.push(el('hr')); break;
      case 'section': {
        const d = el('div', { class: 'block section' });
        if (b.text) d.append(textNode(b.text));
        if (b.fields) d.append(el('div', { class: 'block fields' }, b.fields.map(textNode)));
        if (b.accessory) d.append(el('div', { class: 'accessory' }, element(b.accessory, ctx)));
        out.push(d);
        break;
      }
      case 'context': out.push(el('div', { class: 'block context' }, (b.elements || []).map((e) => element(e, ctx)))); break;
      case 'actions': out.push(el('div', { class: 'block actions' }, (b.elements || []).map((e) => element(e, ctx)))); break;
      case 'image': {
        const src = b.slack_file ? `/api/file/${b.slack_file.id}` : b.image_url;
        out.push(el('div', { class: 'block file' }, el('img', { src, alt: b.alt_text || '' })));
        break;
      }
      case 'input': out.push(input(b)); break;
      default: out.push(el('div', { class: 'block hint' }, `[${b.type}]`));
    }
  }
  return out;
}

function input(b) {
  const e = b.element || {};
  const id = `in-${b.block_id}-${e.action_id}`;
  let field;
  if (e.type === 'plain_text_input') {
    field = e.multiline ? el('textarea', { rows: 3 }) : el('input', { type: 'text' });
    if (e.initial_value) field.value = e.initial_value;
    if (e.placeholder) field.placeholder = e.placeholder.text;
  } else if (e.type === 'static_select' || e.type === 'multi_static_select') {
    field = el('select', e.type === 'multi_static_select' ? { multiple: 'multiple' } : {});
    if (e.type === 'static_select') field.append(el('option', { value: '' }, ''));
    for (const o of e.options || []) {
      const opt = el('option', { value: o.value }, o.text.text);
      if ((e.initial_options || []).some((x) => x.value === o.value) || (e.initial_option && e.initial_option.value === o.value)) opt.selected = true;
      field.append(opt);
    }
  } else if (e.type === 'users_select') {
    field = el('select', {}, el('option', { value: '' }, ''), ui.people.map((p) => el('option', { value: p.id }, `@${p.handle} (${p.name})`)));
    if (e.initial_user) field.value = e.initial_user;
  } else {
    field = el('span', { class: 'hint' }, `[${e.type}]`);
  }
  field.id = id;
  field.dataset.blockId = b.block_id;
  field.dataset.actionId = e.action_id;
  field.dataset.type = e.type;
  const error = ui.state && ui.state.modalErrors && ui.state.modalErrors[b.block_id];
  return el('div', { class: 'input' },
    el('label', { for: id }, b.label ? b.label.text : '', b.optional ? el('span', { class: 'hint' }, ' (optional)') : null),
    field,
    b.hint ? el('div', { class: 'hint' }, b.hint.text) : null,
    error ? el('div', { class: 'error' }, error) : null);
}

function modalValues() {
  const values = {};
  for (const f of document.querySelectorAll('#modal-blocks [data-block-id]')) {
    const v = (values[f.dataset.blockId] = values[f.dataset.blockId] || {});
    const type = f.dataset.type;
    if (type === 'plain_text_input') v[f.dataset.actionId] = { type, value: f.value };
    else if (type === 'static_select') v[f.dataset.actionId] = { type, selected_option: f.value ? { text: { type: 'plain_text', text: f.selectedOptions[0].textContent }, value: f.value } : null };
    else if (type === 'multi_static_select') v[f.dataset.actionId] = { type, selected_options: [...f.selectedOptions].map((o) => ({ text: { type: 'plain_text', text: o.textContent }, value: o.value })) };
    else if (type === 'users_select') v[f.dataset.actionId] = { type, selected_user: f.value || null };
  }
  return values;
}

async function click(ctx, actionId, value, type) {
  await api('/api/click', { where: ctx.where, channel: ctx.channel, ts: ctx.ts, entry: ctx.entry, actionId, value, type });
  await refresh();
}

// ---------------------------------------------------------------- the page

function renderSidebar() {
  const list = $('#channel-list');
  list.replaceChildren(...ui.channels.map((c) => {
    const count = ui.state ? (ui.state.channels[c.id] || []).length : 0;
    const unseen = count - (ui.seen[`${ui.as}/${c.id}`] || 0);
    return el('li', {}, el('a', { href: '#', 'data-view': c.id, class: ui.view === c.id ? 'on' : '', id: `nav-${c.name}` },
      `# ${c.name}`, el('span', { class: 'badge' }, ui.view !== c.id && unseen > 0 ? String(unseen) : '')));
  }));
  const dm = ui.state ? (ui.state.channels[`D${ui.as}`] || []).length : 0;
  const unseenDm = dm - (ui.seen[`${ui.as}/dm`] || 0);
  $('#badge-dm').textContent = ui.view !== 'dm' && unseenDm > 0 ? String(unseenDm) : '';
  $('#nav-home').className = ui.view === 'home' ? 'on' : '';
  $('#nav-dm').className = ui.view === 'dm' ? 'on' : '';
  const me = ui.people.find((p) => p.id === ui.as);
  $('#role').textContent = me ? `${me.name}: ${me.role}` : '';
}

function renderFeed() {
  const feed = $('#feed');
  const atBottom = feed.scrollTop + feed.clientHeight >= feed.scrollHeight - 30;
  const composer = $('#composer');
  const examples = $('#examples');
  if (ui.view === 'home') {
    $('#title').textContent = `aws-onboard \u2014 ${t('home')}`;
    composer.hidden = true;
    examples.replaceChildren();
    const home = ui.state && ui.state.home;
    feed.replaceChildren(home ? el('div', { class: 'home' }, blocks(home.blocks, { where: 'home' })) : el('p', { class: 'hint' }, t('homeEmpty')));
    return;
  }
  const channel = ui.view === 'dm' ? `D${ui.as}` : ui.view;
  const name = ui.view === 'dm' ? `aws-onboard \u2014 ${t('messages')}` : `# ${(ui.channels.find((c) => c.id === channel) || {}).name}`;
  $('#title').textContent = name;
  const items = (ui.state && ui.state.channels[channel]) || [];
  ui.seen[`${ui.as}/${ui.view === 'dm' ? 'dm' : channel}`] = items.length;
  feed.replaceChildren(...items.map((item) => message(item, channel)));
  composer.hidden = !(ui.view === 'dm' || channel === 'C0GENERAL');
  $('#compose-text').placeholder = ui.view === 'dm' ? t('composeDm') : t('composeCommand');
  examples.replaceChildren();
  if (channel === 'C0GENERAL') {
    examples.append(t('examples'), ...EXAMPLES.general.map((x) => el('button', {
      type: 'button', onclick: () => { $('#compose-text').value = `/aws-onboard ${x}`; $('#compose-text').focus(); },
    }, `/aws-onboard ${x}`)));
  }
  if (atBottom) feed.scrollTop = feed.scrollHeight;
}

function message(item, channel) {
  const ctx = { where: 'message', channel, ts: item.ts, entry: item.seq };
  const who = el('div', { class: 'who' }, item.user === ui.as ? `${nameOf(item.user)} (${t('you')})` : nameOf(item.user),
    item.user === ui.botUserId ? el('span', { class: 'app' }, 'APP') : null);
  const box = el('div', { class: `msg ${item.kind !== 'message' ? 'private' : ''} ${item.reply ? 'reply' : ''}`, 'data-kind': item.kind, 'data-seq': item.seq }, who);
  if (item.kind === 'typed') {
    box.append(el('div', {}, item.body.text));
  } else {
    const body = item.kind === 'message' ? item : item.body;
    if (body.blocks && body.blocks.length) box.append(...blocks(body.blocks, ctx));
    else if (body.text) box.append(el('div', {}, textNode({ type: 'mrkdwn', text: body.text })));
    for (const f of item.files || []) {
      box.append(el('div', { class: 'file', 'data-file-id': f.id }, f.deleted
        ? el('span', { class: 'gone' }, t('fileGone'))
        : el('img', { src: `/api/file/${f.id}`, alt: f.name, title: f.name })));
    }
    if (item.edited) box.append(el('span', { class: 'edited' }, t('edited')));
    if (item.kind === 'ephemeral') box.append(el('div', { class: 'only-you' }, t('only')));
  }
  return box;
}

function renderModal() {
  const view = ui.state && ui.state.modal;
  const backdrop = $('#modal-backdrop');
  if (!view || !view.blocks) { backdrop.hidden = true; ui.modalHash = null; return; }
  const hash = `${view.id}/${view.hash}/${JSON.stringify(ui.state.modalErrors || {})}`;
  backdrop.hidden = false;
  if (ui.modalHash === hash) return; // keep what the person typed
  ui.modalHash = hash;
  $('#modal-title').textContent = view.title ? view.title.text : '';
  $('#modal-blocks').replaceChildren(...blocks(view.blocks, { where: 'modal' }));
  $('#modal-submit').hidden = !view.submit;
  $('#modal-submit').textContent = view.submit ? view.submit.text : t('submit');
  $('#modal-close').textContent = view.close ? view.close.text : t('close');
}

function renderPhone() {
  const codes = (ui.state && ui.state.phone) || [];
  $('#phone-codes').replaceChildren(...(codes.length ? codes.map((c) => el('div', { class: 'otp' },
    el('div', { class: 'label' }, `${c.label} \u00b7 ${c.active ? t('active') : t('setup')}`),
    el('div', { class: 'code' }, c.code),
    el('div', { class: 'label' }, `${t('next')}: ${c.next} \u00b7 ${c.secondsLeft} ${t('secondsLeft')}`))) : [el('p', { class: 'hint' }, t('noCodes'))]));
}

function renderChrome() {
  document.documentElement.lang = ui.lang;
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  for (const b of document.querySelectorAll('[data-lang]')) b.classList.toggle('on', b.dataset.lang === ui.lang);
  const sel = $('#person');
  sel.replaceChildren(...ui.people.map((p) => el('option', { value: p.id }, `${p.name} \u2014 ${p.role}`)));
  sel.value = ui.as;
}

function render() {
  renderSidebar();
  renderFeed();
  renderModal();
  renderPhone();
}

async function refresh() {
  if (!ui.as) return;
  ui.state = await api(`/api/state?as=${encodeURIComponent(ui.as)}`);
  render();
}

function go(view) {
  ui.view = view;
  location.hash = `as=${ui.as}&view=${view}`;
  if (view === 'home') api('/api/home', {}).then(refresh);
  render();
}

async function start() {
  const info = await api('/api/people');
  ui.people = info.people;
  ui.channels = info.channels;
  ui.botUserId = info.botUserId;
  const params = new URLSearchParams(location.hash.slice(1));
  ui.as = params.get('as') || ui.people[0].id;
  ui.view = params.get('view') || 'C0GENERAL';
  renderChrome();
  $('#person').addEventListener('change', (e) => { ui.as = e.target.value; ui.modalHash = null; go(ui.view); refresh(); });
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', () => { ui.lang = b.dataset.lang; localStorage.setItem('demo-lang', ui.lang); renderChrome(); render(); });
  }
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[data-view]');
    if (a) { e.preventDefault(); go(a.dataset.view); }
  });
  $('#composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('#compose-text').value.trim();
    if (!text) return;
    $('#compose-text').value = '';
    $('#compose-send').disabled = true;
    if (ui.view === 'dm') await api('/api/dm', { text });
    else await api('/api/command', { text });
    $('#compose-send').disabled = false;
    await refresh();
  });
  $('#modal').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('#modal-submit').disabled = true;
    await api('/api/submit', { values: modalValues() });
    $('#modal-submit').disabled = false;
    ui.modalHash = null;
    await refresh();
  });
  $('#modal-close').addEventListener('click', async () => { await api('/api/close', {}); await refresh(); });
  if (ui.view === 'home') api('/api/home', {});
  await refresh();
  setInterval(refresh, 800);
}

start();
