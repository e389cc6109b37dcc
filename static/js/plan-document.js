// The plan document page (plans/documents/document.html) without reloading: while the PDF is
// waiting or being made, ask the status endpoint every few seconds and, when the status changes,
// put the server's new status block into the live region (aria-live="polite"), which announces
// it. Without JavaScript the page offers "Check again" and an opt-in automatic refresh instead.

const region = document.querySelector('[data-plan-document-status]')
const FIRST_DELAY = 2000
const LONGEST_DELAY = 10000
const GIVE_UP_AFTER = 10 * 60 * 1000

function hideNoJsOnly () {
  for (const element of document.querySelectorAll('[data-no-js-only]')) {
    element.hidden = true
  }
}

async function poll (delay, startedAt) {
  try {
    const response = await fetch(region.dataset.statusUrl, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      cache: 'no-store'
    })
    if (response.ok) {
      const status = await response.json()
      if (status.status !== region.dataset.status) {
        region.innerHTML = status.html
        region.dataset.status = status.status
        hideNoJsOnly()
      }
      if (!status.pending) {
        return
      }
    }
  } catch (error) {
    // A dropped connection: try again at the next interval.
  }
  if (Date.now() - startedAt < GIVE_UP_AFTER) {
    const next = Math.min(delay * 1.5, LONGEST_DELAY)
    window.setTimeout(() => poll(next, startedAt), delay)
  }
}

if (region && region.dataset.pending === 'true') {
  hideNoJsOnly()
  window.setTimeout(() => poll(FIRST_DELAY, Date.now()), FIRST_DELAY)
}
