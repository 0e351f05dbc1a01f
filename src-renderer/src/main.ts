import { createPinia } from 'pinia'
import { createApp } from 'vue'
import VueKonva from 'vue-konva'
import App from './App.vue'
import { i18n } from './i18n'
import './theme.css'

createApp(App).use(createPinia()).use(i18n).use(VueKonva).mount('#app')
