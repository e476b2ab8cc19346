-- Links to the site's own pages, whichever format is rendered:
-- - README.md (nbdev_readme renders index.ipynb as gfm): relative links to pages (`data.html`, `cli.html#train`) become
--   absolute under the site's address, so that they work on GitHub and PyPI.
-- - the site's HTML pages: links under the site's address (nbdev writes its links to documented names that way, as
--   `https://cvae-mnist.github.io/cvae_mnist/cli.html#train`) become relative, so that a local build or preview stays
--   on itself.
-- The address is website.site-url in nbdev.yml, which nbdev writes from settings.ini (doc_host + doc_baseurl).

local function site_url()
  local path = pandoc.path.join({quarto.project.directory or '.', 'nbdev.yml'})
  local f = io.open(path)
  if not f then error('site_links.lua: no ' .. path .. ' to read website.site-url from') end
  local url = f:read('a'):match('\n%s*site%-url:%s*"?([^"\n]-)"?%s*\n')
  f:close()
  if not url or url == '' then error('site_links.lua: no site-url in ' .. path) end
  return (url:gsub('/*$', '/'))
end

local base

local function is_page(target)
  return target:match('^[^#?]*%.html$') or target:match('^[^#?]*%.html#')
end

local function absolute(link)
  local target = link.target
  if target:match('^%a[%w+.-]*:') or target:match('^[/#]') or not is_page(target) then return nil end
  base = base or site_url()
  link.target = base .. target
  return link
end

local function relative(link)
  base = base or site_url()
  if link.target:sub(1, #base) ~= base then return nil end
  local rest = link.target:sub(#base + 1)
  link.target = rest == '' and 'index.html' or rest
  return link
end

if quarto.doc.is_format('gfm') then return {{Link = absolute}} end
if quarto.doc.is_format('html') then return {{Link = relative}} end
return {}
