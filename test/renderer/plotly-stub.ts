// Plotly in place of the real one for the server renderer: the views only draw in the browser
// (in effects, which the server renderer does not run), and the real one needs a browser to load.
export default {}
