import { dirname, relative, resolve, sep } from 'node:path'

/**
 * `layers/walls`: the inner walls of the code base, checked on the resolved path of every
 * import rather than on its spelling, so `../../api/x` and `../../../src-main/api/x` are the
 * same import. Each wall names the folder it applies to (`from`, relative to the repository
 * root), the folders its files may not import (`forbidFolders`) and the packages they may not
 * import (`forbidPackages`, also matching subpaths such as `vue/dist/...`), with the reason.
 */

/** A path relative to the repository root, with forward slashes. */
function repositoryPath(cwd, absolute) {
  return relative(cwd, absolute).split(sep).join('/')
}

/** Where an import specifier leads: `{ folderPath }` for files of the repository, `{ packageName }` otherwise. */
function importTarget(cwd, file, specifier) {
  if (specifier.startsWith('.')) return { folderPath: repositoryPath(cwd, resolve(dirname(file), specifier)) }
  if (specifier.startsWith('@shared/')) return { folderPath: `src-shared/${specifier.slice('@shared/'.length)}` }
  const parts = specifier.split('/')
  return { packageName: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] }
}

function isInside(path, folder) {
  const bare = folder.replace(/\/$/, '')
  return path === bare || path.startsWith(`${bare}/`)
}

export const layerWallsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports that cross an inner wall of the architecture.' },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            from: { type: 'string' },
            forbidFolders: { type: 'array', items: { type: 'string' } },
            forbidPackages: { type: 'array', items: { type: 'string' } },
            message: { type: 'string' },
          },
          required: ['from', 'message'],
          additionalProperties: false,
        },
      },
    ],
    messages: { wall: '{{target}}: {{message}}' },
  },
  create(context) {
    const cwd = context.cwd
    const file = context.filename
    const walls = (context.options[0] ?? []).filter((wall) => isInside(repositoryPath(cwd, file), wall.from))
    if (walls.length === 0) return {}

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return
      const target = importTarget(cwd, file, source.value)
      for (const wall of walls) {
        const crosses = target.folderPath
          ? (wall.forbidFolders ?? []).some((folder) => isInside(target.folderPath, folder))
          : (wall.forbidPackages ?? []).includes(target.packageName)
        if (crosses) context.report({ node, messageId: 'wall', data: { target: source.value, message: wall.message } })
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : undefined),
    }
  },
}

export const layersPlugin = { rules: { walls: layerWallsRule } }
