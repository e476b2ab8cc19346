-- Figures load as a reader scrolls to them (`loading="lazy"`): a page opens with the figures it shows first, which on a
-- phone is most of what it costs. Only for the site's HTML; the README's Markdown is left as it is.
if not quarto.doc.is_format('html') then return {} end
return {{Image = function (img) img.attributes.loading = img.attributes.loading or 'lazy'; return img end}}
