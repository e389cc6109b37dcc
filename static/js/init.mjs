import { initAll } from './govuk-frontend.min.js'
import './kept-text.mjs'
import './figures.mjs'

initAll()
