// The one place the package imports fast-xml-parser. The build replaces this module's output
// with a bundle of the library, so dist/ requires nothing that n8n does not ship.
export { XMLParser, XMLValidator } from 'fast-xml-parser';
