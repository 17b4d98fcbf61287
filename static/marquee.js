// Marquee's one script. Every page works without it; it only makes some
// forms feel instant. Each form is still a plain form: when anything goes
// wrong here, the script submits it the ordinary way and the server's
// page takes over, so there is one source of truth.
//
// The content security policy allows only scripts from this site, so there
// are no inline handlers: everything is wired up here.

const ratingForms = document.querySelectorAll('form.rate');
const helpfulForms = document.querySelectorAll('.helpful form');

// One polite live region per page, made before anything is announced (a
// region created and filled at once is often not read out).
const live = document.createElement('div');
live.setAttribute('role', 'status');
live.className = 'visually-hidden';
if (ratingForms.length || helpfulForms.length) document.body.append(live);

// announce says text in the live region; clearing it first makes a screen
// reader repeat a message that happens to equal the previous one.
function announce(text) {
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}

// post sends a form as the browser would, but asks for JSON back. The
// reader's cookie goes with it, so the server knows who rated.
function post(form, extra = {}) {
  const body = new URLSearchParams(new FormData(form));
  for (const [name, value] of Object.entries(extra)) body.set(name, value);
  return fetch(form.action, {
    method: 'POST',
    body,
    headers: { Accept: 'application/json' },
    credentials: 'same-origin',
  });
}

// tooManyMessage reads the reason out of the server's 429 error page, so
// the wording lives in one place (the server).
async function tooManyMessage(res, fallback) {
  try {
    const page = new DOMParser().parseFromString(await res.text(), 'text/html');
    return page.querySelector('main p')?.textContent.trim() || fallback;
  } catch {
    return fallback;
  }
}

const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

// stars writes 1–10 points as the page does: 7 → "3½ stars".
function stars(points) {
  const text = (Math.floor(points / 2) || '') + (points % 2 ? '½' : '');
  return `${text} ${points === 2 ? 'star' : 'stars'}`;
}

for (const form of ratingForms) {
  form.classList.add('js-instant'); // The stylesheet hides the Rate button.
  const message = Object.assign(document.createElement('p'), { className: 'form-status', hidden: true });
  form.querySelector('fieldset').append(message);
  let timer, keyed = false;
  let latest = 0; // Only the newest answer may update the page.

  async function send() {
    clearTimeout(timer);
    if (!form.querySelector('input[name="rating"]:checked')) return;
    const mine = ++latest;
    let res, data, template;
    try {
      res = await post(form);
      // A first rating from this browser: the server set a reader cookie
      // and answered with a proof token bound to it instead of saving
      // (the anti-stuffing step a person without the script confirms with
      // one click). Sending the same form with the token saves it.
      if (res.ok && res.headers.get('Content-Type')?.startsWith('application/json')) {
        const step = await res.clone().json();
        if (step.confirm) res = await post(form, { confirm: step.confirm });
      }
      if (res.status === 429) {
        // Sending again would be refused too: say why and stop.
        message.textContent = await tooManyMessage(res, 'Too many ratings in a short time. Please wait a moment.');
        message.hidden = false;
        announce(message.textContent);
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = await res.json();
      template = document.createElement('template');
      template.innerHTML = data.summary_html;
      if (!template.content.querySelector('#rating-summary')) throw new Error('no summary');
    } catch {
      form.submit(); // The plain path: post, redirect, page.
      return;
    }
    if (mine !== latest) return;
    document.getElementById('rating-summary')?.replaceWith(template.content.querySelector('#rating-summary'));
    message.hidden = true;
    const noun = data.count === 1 ? 'rating' : 'ratings';
    announce(`Your rating of ${stars(data.yours)} is saved. Readers’ average: ${decimal.format(data.average)} out of 10 from ${data.count} ${noun}.`);
  }

  // A click sends at once. The arrow keys check every radio they pass, so
  // keyboard changes wait until the reader pauses: one rating, not five.
  form.addEventListener('pointerdown', () => { keyed = false; });
  form.addEventListener('keydown', () => { keyed = true; });
  form.addEventListener('change', () => {
    clearTimeout(timer);
    timer = setTimeout(send, keyed ? 800 : 0);
  });
  form.addEventListener('submit', (event) => { event.preventDefault(); send(); }); // Enter
}

for (const form of helpfulForms) {
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = form.querySelector('button');
    const text = form.closest('.helpful').querySelector('p');
    try {
      const res = await post(form);
      if (res.status === 429) {
        text.textContent = await tooManyMessage(res, 'Too many votes in a short time. Please wait a moment.');
        announce(text.textContent);
        busy = false;
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    } catch {
      form.submit();
      return;
    }
    text.textContent = 'Thanks — you found this helpful.';
    // Disabling the focused button would drop the focus to the page's
    // start; move it to the thanks, which a screen reader then reads.
    if (document.activeElement === button) {
      text.tabIndex = -1;
      text.focus();
    } else {
      announce(text.textContent);
    }
    button.disabled = true;
  });
}

// Review editor: the preview follows the text while the editor types. The
// Preview button does the same without the script; this only saves pressing
// it. Requests wait for a pause in typing, only the answer to the latest
// one is shown, and a failure (or a session that has ended, which answers
// with a redirect) leaves the last preview in place.
const reviewEditor = document.querySelector('form#review-editor[data-preview-url]');
const reviewPreview = document.getElementById('review-preview-content');
if (reviewEditor && reviewPreview) {
  let timer = 0;
  let latest = 0;
  const refresh = async () => {
    const mine = ++latest;
    const fields = new FormData(reviewEditor);
    fields.delete('action');
    try {
      const res = await fetch(reviewEditor.dataset.previewUrl, {
        method: 'POST',
        body: new URLSearchParams(fields),
        credentials: 'same-origin',
        redirect: 'error',
      });
      if (!res.ok) return;
      const html = await res.text();
      if (mine !== latest) return;
      reviewPreview.innerHTML = html;
    } catch {
      // Offline or signed out: the Preview button still works.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  };
  reviewEditor.addEventListener('input', later);
  reviewEditor.addEventListener('change', later);
  reviewEditor.classList.add('js-live-preview');
}

// Search suggestions: as the reader types in the header's search box, up
// to eight films and people are offered as links under it. The box stays a
// plain GET form, so Enter still searches, and without JavaScript nothing
// changes. Arrow keys move between the box and the suggestions; Escape
// closes them.
const searchBox = document.getElementById('site-search-q');
if (searchBox) {
  const list = document.createElement('ul');
  list.id = 'site-search-suggestions';
  list.className = 'suggestions';
  list.hidden = true;
  list.setAttribute('aria-label', 'Suggestions');
  searchBox.after(list);
  searchBox.setAttribute('aria-controls', list.id);
  let timer = 0;
  let latest = 0;
  const close = () => {
    list.hidden = true;
  };
  const suggest = async () => {
    const q = searchBox.value.trim();
    const mine = ++latest;
    if (q.length < 2) return close();
    try {
      const res = await fetch('/search/suggest?q=' + encodeURIComponent(q), { credentials: 'same-origin' });
      if (!res.ok || mine !== latest) return;
      const hits = await res.json();
      list.replaceChildren(...hits.map((h) => {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = h.url;
        a.textContent = h.label;
        const kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = ' ' + h.kind;
        a.append(kind);
        li.append(a);
        return li;
      }));
      list.hidden = hits.length === 0;
    } catch {
      close(); // Suggestions are a convenience; the form still works.
    }
  };
  searchBox.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  const links = () => [...list.querySelectorAll('a')];
  const move = (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === 'Escape') {
      close();
      searchBox.focus();
    } else if (event.key === 'ArrowDown' && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (at === 0 ? searchBox : all[at - 1]).focus();
    }
  };
  searchBox.addEventListener('keydown', move);
  list.addEventListener('keydown', move);
  document.addEventListener('click', (event) => {
    if (!list.contains(event.target) && event.target !== searchBox) close();
  });
}

// ==== Review editor: film suggestions ====
// As the editor types in the film field, films from the whole catalogue
// whose titles match are offered in the field's own datalist, each as its
// slug labelled with its title, year and director, so the browser's native
// (and accessible) suggestion list shows them. The field stays plain text:
// without the script, Find and Save look the film up on the server.
const filmPicker = document.querySelector('.film-picker[data-suggest-url]');
const filmField = filmPicker && filmPicker.querySelector('input[list]');
const filmList = filmField && document.getElementById(filmField.getAttribute('list'));
if (filmField && filmList) {
  let timer = 0;
  let latest = 0;
  const suggestFilms = async () => {
    const q = filmField.value.trim();
    const mine = ++latest;
    if (q.length < 2) return;
    try {
      const res = await fetch(filmPicker.dataset.suggestUrl + '?q=' + encodeURIComponent(q), {
        credentials: 'same-origin',
        redirect: 'error',
      });
      if (!res.ok || mine !== latest) return;
      const films = await res.json();
      filmList.replaceChildren(...films.map((f) => {
        const option = document.createElement('option');
        option.value = f.slug;
        option.label = f.label;
        option.textContent = f.label;
        return option;
      }));
    } catch {
      // Signed out or offline: Find still works.
    }
  };
  filmField.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggestFilms, 150);
  });
}

// ==== Moderation: one-click actions in place ====
// A review's Approve, Reject and Spam buttons (and the outcome's Undo)
// post their small form in the background; the queue's answer (the same
// page the browser would have been sent to, with the outcome shown once)
// replaces the page's main content, the outcome is read out and the focus
// goes to it. Without the script, or when anything fails, the form is sent
// the ordinary way.
const moderationMain = document.querySelector('main#main');
if (moderationMain && moderationMain.querySelector('ol.moderation-queue, #moderation-outcome')) {
  if (!live.isConnected) document.body.append(live);
  moderationMain.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!form.matches('form.moderation-one, #moderation-outcome form')) return;
    event.preventDefault();
    const fields = new FormData(form);
    const button = event.submitter;
    if (button && button.name) fields.set(button.name, button.value);
    const fallback = () => {
      // The ordinary way, keeping the button's action.
      if (button && button.name) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = button.name;
        input.value = button.value;
        form.append(input);
      }
      form.submit();
    };
    try {
      // getAttribute, since form.action names the buttons called "action".
      const res = await fetch(form.getAttribute('action'), {
        method: 'POST',
        body: new URLSearchParams(fields),
        credentials: 'same-origin',
      });
      const fresh = res.ok && res.redirected &&
        new DOMParser().parseFromString(await res.text(), 'text/html').querySelector('main#main');
      if (!fresh) return fallback();
      moderationMain.replaceChildren(...[...fresh.childNodes].map((n) => document.importNode(n, true)));
      history.replaceState(null, '', res.url);
      const outcome = moderationMain.querySelector('#moderation-outcome p');
      if (outcome) {
        outcome.removeAttribute('role'); // The page's live region says it.
        outcome.tabIndex = -1;
        outcome.focus();
        announce(outcome.textContent.trim());
      }
    } catch {
      fallback();
    }
  });
}
