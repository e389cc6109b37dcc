// The contribution form's figures grid like a spreadsheet (assessments/contribution.html):
// "Add a row" without a round trip, and a block copied from Excel or LibreOffice (tab-separated
// rows, perhaps with a header row, numbers perhaps with thousands separators) pasted into any box
// fills the grid from that box down and across, adding rows as needed. Without JavaScript the
// form offers "Add 10 more rows" and a CSV upload instead; the server reads "1,204" as 1204.

const COLUMNS = ['label', 'value', 'unit']

function grid (form) {
  const body = form.querySelector('[data-figure-rows]')
  const total = form.querySelector('input[name="figures-TOTAL_FORMS"]')
  const status = form.querySelector('[data-figures-status]')
  const addButton = form.querySelector('[data-add-row]')
  const max = Number(form.dataset.figuresMax)
  if (!body || !total) return

  function rows () {
    return Array.from(body.querySelectorAll('[data-figure-row]'))
  }

  function addRow () {
    const all = rows()
    if (all.length >= max) return null
    const index = all.length
    const row = all[all.length - 1].cloneNode(true)
    for (const element of row.querySelectorAll('[id], [for], [name], [aria-describedby]')) {
      for (const attribute of ['id', 'for', 'name', 'aria-describedby']) {
        const value = element.getAttribute(attribute)
        if (value) element.setAttribute(attribute, value.replace(/figures-\d+-/, `figures-${index}-`))
      }
    }
    for (const label of row.querySelectorAll('label')) {
      label.textContent = label.textContent.replace(/\d+\)\s*$/, `${index + 1})`)
    }
    for (const error of row.querySelectorAll('.govuk-error-message')) error.remove()
    for (const group of row.querySelectorAll('.govuk-form-group--error')) group.classList.remove('govuk-form-group--error')
    for (const input of row.querySelectorAll('input')) {
      input.value = ''
      input.classList.remove('govuk-input--error')
      input.removeAttribute('aria-describedby')
    }
    body.append(row)
    total.value = String(index + 1)
    return row
  }

  function cell (rowIndex, column) {
    while (rows().length <= rowIndex) {
      if (!addRow()) return null
    }
    return rows()[rowIndex].querySelector(`[data-column="${column}"]`)
  }

  function parse (text) {
    const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n')
    const table = lines.map((line) => line.split('\t').map((value) => value.trim()))
    // A header row ("Ward  Incidents"): its value column has no number in it.
    if (table.length > 1 && table[0].length > 1 && !/\d/.test(table[0][1])) table.shift()
    return table
  }

  function number (value) {
    return value.replace(/(\d)[,\s\u00a0\u202f](?=\d{3}(\D|$))/g, '$1')
  }

  function paste (event) {
    const input = event.target.closest('[data-column]')
    if (!input) return
    const text = (event.clipboardData || window.clipboardData).getData('text')
    if (!text.includes('\t') && !text.includes('\n')) return
    event.preventDefault()
    const table = parse(text)
    const startRow = rows().indexOf(input.closest('[data-figure-row]'))
    const startColumn = COLUMNS.indexOf(input.dataset.column)
    let filled = 0
    table.forEach((values, offset) => {
      values.forEach((value, columnOffset) => {
        const column = COLUMNS[startColumn + columnOffset]
        if (!column) return
        const target = cell(startRow + offset, column)
        if (target) target.value = column === 'value' ? number(value) : value
      })
      if (cell(startRow + offset, COLUMNS[startColumn])) filled += 1
    })
    status.textContent = status.dataset.pasted
      ? status.dataset.pasted.replace('%n', filled)
      : `${filled}`
  }

  if (addButton) {
    addButton.hidden = false
    addButton.addEventListener('click', () => {
      const row = addRow()
      if (row) row.querySelector('input').focus()
    })
  }
  body.addEventListener('paste', paste)
}

for (const form of document.querySelectorAll('[data-module="app-figures"]')) grid(form)
