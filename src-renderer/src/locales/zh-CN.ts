import type { MessageCatalogue } from './en'

/** Simplified Chinese; the same keys and placeholders as en.ts. */
export const zhCN: MessageCatalogue = {
  language: {
    label: '语言',
  },
  common: {
    browse: '浏览…',
    cancel: '取消',
    cancelling: '正在取消…',
    dismiss: '关闭',
    working: '处理中…',
  },
  start: {
    tagline: '用 RetinaNet 为图像文件夹预标注，逐框审核，导出用于训练。',
    newProject: {
      title: '从图像文件夹新建项目',
      folder: '图像文件夹（绝对路径）',
      folderPlaceholder: '/home/me/datasets/street-scenes',
      name: '名称（可选，默认为文件夹名）',
      fileHint: '项目文件保存在该文件夹中，名为 {file}。',
      folderName: '文件夹名',
      create: '创建项目',
      scanning: '正在扫描：{examined} / {total} 个文件',
    },
    openProject: {
      title: '打开项目文件',
      file: '项目文件（绝对路径）',
      filePlaceholder: '/home/me/datasets/street-scenes/street-scenes.rwproj',
      open: '打开项目',
    },
    recent: {
      title: '最近的项目',
      empty: '尚未打开过项目。',
      open: '打开 {file}',
      gone: '{file} 已不存在',
      missing: '缺失',
      opened: '打开于 {when}',
    },
  },
}
