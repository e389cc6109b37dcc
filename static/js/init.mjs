import { initAll } from './govuk-frontend.min.js'
import './kept-text.mjs'
import './figures.mjs'

initAll()

// A table wider than the screen scrolls inside itself (static/css/app.css); here it is also put
// in a region a keyboard can focus and scroll, named after the table's caption. The table keeps
// its own role.
for (const table of document.querySelectorAll('.govuk-table')) {
  if (table.closest('.app-table-scroll') || table.scrollWidth <= table.clientWidth) continue
  const caption = table.querySelector('caption')
  const region = document.createElement('div')
  region.className = 'app-table-scroll'
  region.setAttribute('tabindex', '0')
  region.setAttribute('role', 'region')
  region.setAttribute('aria-label', (caption && caption.textContent.trim()) || document.title)
  table.parentNode.insertBefore(region, table)
  region.appendChild(table)
}
