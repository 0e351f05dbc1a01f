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
  time: {
    hoursMinutes: '{hours} 小时 {minutes} 分',
    minutesSeconds: '{minutes} 分 {seconds} 秒',
    seconds: '{seconds} 秒',
  },
  jobs: {
    starting: '正在开始…',
    done: { files: '{done} / {total} 个文件', images: '{done} / {total} 张图像' },
    rate: { files: '{rate} 个文件/秒', images: '{rate} 张图像/秒' },
    left: '剩余 {time}',
  },
  count: {
    labels: '{n} 个标注',
    detections: '{n} 个检测',
  },
  project: {
    images: '{n} 张图像',
    imagesMatch: '{n} 张图像符合',
    importLabels: '导入标注…',
    exportLabels: '导出标注…',
    close: '关闭项目',
    noMatch: '没有符合此筛选条件的图像。',
    noImages: '此文件夹中没有本工具能读取的图像（{formats}）。',
    counters: {
      reviewed: '已审核 {reviewed} / {images}',
      reviewedTitle: '已被人工标记为已审核的图像：其标注已检查',
      labelsTitle: '标注：项目中的框，即导出的内容',
      detectionsTitle: '检测：每张图像最近一次运行在模型截断分数以上找到的结果',
    },
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
