import { initAll } from './govuk-frontend.min.js'

initAll()

// A table wider than the screen scrolls inside itself (static/css/app.css); here it also becomes
// a labelled region a keyboard can focus and scroll, named after its caption.
for (const table of document.querySelectorAll('.govuk-table')) {
  if (table.closest('.app-table-scroll') || table.scrollWidth <= table.clientWidth) continue
  const caption = table.querySelector('caption')
  table.setAttribute('tabindex', '0')
  table.setAttribute('role', 'region')
  table.setAttribute('aria-label', (caption && caption.textContent.trim()) || document.title)
}
