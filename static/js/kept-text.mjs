// No typed text is lost (csp_portal/kept.py is the server's half).
//
// The timeout warning (GOV.UK pattern): a modal dialog opens before the session expires; the
// countdown is shown every second but announced only when it opens and then each minute, at 30
// and at 10 seconds, so that a screen reader is not talked over. "Stay signed in" (or Escape)
// asks the server, which starts the idle time again. If the time runs out the page stays as it
// is and says so: a form sent then is kept by the server and put back after signing in.
//
// Autosave: text in a page form's textareas is sent to the server a few seconds after the last
// keystroke and when the page is hidden; opened again, the page puts it back (server side).

function csrfToken (root) {
  const input = root.querySelector('input[name="csrfmiddlewaretoken"]')
  return input ? input.value : ''
}

function timeoutWarning (dialog) {
  if (typeof dialog.showModal !== 'function') return
  let sessionSeconds = Number(dialog.dataset.sessionSeconds)
  let warningSeconds = Math.min(Number(dialog.dataset.warningSeconds), sessionSeconds)
  const form = dialog.querySelector('[data-keep-alive]')
  const stayButton = dialog.querySelector('[data-stay]')
  const countdown = dialog.querySelector('[data-countdown]')
  const announcement = dialog.querySelector('[data-announcement]')
  const title = dialog.querySelector('#timeout-warning-title')
  const text = dialog.querySelector('#timeout-warning-text')
  let expiresAt = 0
  let warnTimer = null
  let tick = null

  function words (seconds) {
    const minutes = Math.ceil(seconds / 60)
    if (seconds > 60) {
      return minutes === 1 ? dialog.dataset.minutesOne : dialog.dataset.minutesMany.replace('%n', minutes)
    }
    return seconds === 1 ? dialog.dataset.secondsOne : dialog.dataset.secondsMany.replace('%n', seconds)
  }

  function announce (seconds) {
    announcement.textContent = dialog.dataset.announce.replace('%t', words(seconds))
  }

  function update () {
    const left = Math.max(0, Math.round((expiresAt - Date.now()) / 1000))
    countdown.textContent = words(left)
    if (left === 0) return signedOut()
    if ((left > 60 && left % 60 === 0) || left === 30 || left === 10) announce(left)
  }

  function open () {
    if (!dialog.open) dialog.showModal()
    announce(Math.round((expiresAt - Date.now()) / 1000))
    update()
    tick = window.setInterval(update, 1000)
    title.focus()
  }

  function start () {
    expiresAt = Date.now() + sessionSeconds * 1000
    window.clearTimeout(warnTimer)
    window.clearInterval(tick)
    warnTimer = window.setTimeout(open, (sessionSeconds - warningSeconds) * 1000)
  }

  function signedOut () {
    window.clearInterval(tick)
    title.textContent = dialog.dataset.signedOutTitle
    text.textContent = dialog.dataset.signedOutText
    form.replaceChildren()
    const close = document.createElement('button')
    close.type = 'button'
    close.className = 'govuk-button'
    close.textContent = dialog.dataset.closeLabel
    close.addEventListener('click', () => dialog.close())
    form.append(close)
    title.focus()
  }

  async function stay (event) {
    if (event) event.preventDefault()
    const response = await fetch(form.dataset.keepAlive, {
      method: 'POST',
      headers: { 'X-CSRFToken': csrfToken(form), Accept: 'application/json' },
      credentials: 'same-origin'
    })
    if (response.status === 401) return signedOut()
    if (response.ok) {
      const times = await response.json()
      sessionSeconds = times.session_seconds
      warningSeconds = Math.min(times.warning_seconds, sessionSeconds)
    }
    if (dialog.open) dialog.close()
    start()
  }

  stayButton.addEventListener('click', stay)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    stay()
  })
  // Every page the person opens (in any tab) starts the idle time again; this page knows only
  // of itself, so it counts from when it loaded.
  start()
}

const DRAFT_DELAY = 3000

function autosave (form, token) {
  const fields = form.querySelectorAll('textarea[data-autosave]')
  if (!fields.length || !token) return
  const url = document.querySelector('[data-module="app-timeout-warning"]')?.dataset.draftUrl
  if (!url) return
  const sent = new Map()
  const timers = new Map()

  function send (field) {
    if (sent.get(field) === field.value) return
    sent.set(field, field.value)
    const body = new URLSearchParams({ path: window.location.pathname, field: field.name, text: field.value })
    fetch(url, {
      method: 'POST',
      headers: { 'X-CSRFToken': token },
      body,
      credentials: 'same-origin',
      keepalive: true
    }).catch(() => {})
  }

  for (const field of fields) {
    sent.set(field, field.value)
    field.addEventListener('input', () => {
      window.clearTimeout(timers.get(field))
      timers.set(field, window.setTimeout(() => send(field), DRAFT_DELAY))
    })
  }
  let submitted = false
  form.addEventListener('submit', () => { submitted = true })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && !submitted) fields.forEach(send)
  })
}

const dialog = document.querySelector('[data-module="app-timeout-warning"]')
if (dialog) {
  timeoutWarning(dialog)
  for (const form of document.querySelectorAll('form[method="post" i]')) {
    autosave(form, csrfToken(form) || csrfToken(dialog))
  }
}
